-- wrk script: a hostile client's costliest search within the caps (docs/search-api.md): eleven
-- of the synthetic network's most common words and one that is in no document, so that no
-- document holds them all and every document holding any is ranked, 50 hits a page, page 20
-- (the deepest). The words past the twelfth, and the characters past the 200th, are cut before
-- any work, so sending more costs the server nothing more.
local q = "t%E1%BB%A5c+d%C3%A2n+h%E1%BB%99+%C4%91%E1%BB%93ng+v%C4%83n+ph%C3%B2ng+thanh+thu+h%C3%B3a+th%C3%B4ng+th%E1%BB%A7+qzx"
request = function()
  return wrk.format("GET", "/api/search?q=" .. q .. "&per_page=50&page=20")
end
