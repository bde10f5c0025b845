// Gatehouse's only script, served from its own origin (the pages' CSP allows nothing else). Every page works
// without it; it adds what the server cannot know or do: the person's time zone, copying to the clipboard.
(function () {
  'use strict';

  // A "Copy" button beside a newly minted token.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var text = document.getElementById(button.getAttribute('data-copy')).textContent;
    var byHand = function () { button.textContent = 'Select it and copy by hand'; };
    if (!navigator.clipboard) { byHand(); return; }
    navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; }, byHand);
  });

  // A new key is shown once: not again from the browser's back/forward cache.
  window.addEventListener('pagehide', function () {
    var shown = document.getElementById('new-token');
    if (shown) shown.textContent = '';
  });

  // <time datetime> elements come in UTC ("5 Dec 2026, 03:21 UTC"); show them in the reader's own zone
  // and language, with how long ago or ahead they are.
  var UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  function relative(date, now) {
    var seconds = (date.getTime() - now) / 1000;
    var rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    for (var i = 0; i < UNITS.length; i++) {
      if (Math.abs(seconds) >= UNITS[i][1] || UNITS[i][0] === 'second') {
        return rtf.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
  }
  var absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  var now = Date.now();
  document.querySelectorAll('time[datetime]').forEach(function (element) {
    var date = new Date(element.getAttribute('datetime'));
    if (isNaN(date.getTime())) return;
    element.textContent = absolute.format(date) + ' (' + relative(date, now) + ')';
    element.title = element.getAttribute('datetime');
  });

  // An expiry select whose "custom" choice needs a date: show the date field only then.
  document.querySelectorAll('select[data-custom-date]').forEach(function (select) {
    var field = document.getElementById(select.getAttribute('data-custom-date'));
    var input = field.querySelector('input');
    function sync() {
      var custom = select.value === 'custom';
      field.hidden = !custom;
      input.required = custom;
    }
    select.addEventListener('change', sync);
    sync();
  });
})();
