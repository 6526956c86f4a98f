// cong serve: reloads this tab when an update lands, and when the content breaks: the server
// then sends the last good page with the problems over it.
(() => {
  const events = new EventSource("/_cong/events");
  for (const name of ["reload", "problems"]) {
    events.addEventListener(name, () => location.reload());
  }
})();
