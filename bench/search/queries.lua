-- wrk script: each request searches one of these queries, in turn (percent-encoded UTF-8).
-- Vietnamese with and without marks, a procedure code, a typo; as citizens type them.
local queries = {
  "th%E1%BB%A7+t%E1%BB%A5c+h%C3%A0nh+ch%C3%ADnh",
  "thu+tuc+hanh+chinh",
  "dang+ky+khai+sinh",
  "%C4%91%C4%83ng+k%C3%BD+kh%E1%BA%A3i+sinh",
  "cap+giay+phep+xay+dung",
  "chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91",
  "1.000894",
  "nong+thon+moi",
  "giay+phep+xay+dugn",
  "ti%E1%BA%BFn+giang",
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/search?q=" .. queries[i])
end
