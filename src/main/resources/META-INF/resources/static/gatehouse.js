// Gatehouse's only script, served from its own origin (the pages' CSP allows nothing else). Every page works
// without it; it adds what the server cannot know or do: the person's time zone, copying to the clipboard, and
// passkeys (which only a browser's script can ask an authenticator for).
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

  // Passkeys (WebAuthn): the server's options, the browser's authenticator, the answer posted back. The options
  // come as JSON with base64url bytes, and the answer goes back so.
  function bytes(base64url) {
    var text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out.buffer;
  }
  function base64url(buffer) {
    var text = '';
    new Uint8Array(buffer).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function post(path, csrf, body) {
    var headers = { 'Accept': 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: 'POST', headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) throw new Error(json.message || 'The passkey could not be used.');
          return json;
        });
      });
  }
  function failed(box, error) {
    var shown = box.querySelector('[data-passkey-error]');
    shown.textContent = error && error.name === 'NotAllowedError' ? 'Cancelled, or the passkey was not allowed.' : (error.message || String(error));
    shown.hidden = false;
  }
  function passkeysWork(box) {
    if (window.PublicKeyCredential) return true;
    failed(box, new Error('This browser cannot use passkeys.'));
    return false;
  }

  var register = document.querySelector('[data-passkey-register]');
  if (register) register.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!passkeysWork(register.parentNode)) return;
    var csrf = register.getAttribute('data-csrf');
    var name = register.querySelector('input[name=name]').value;
    var password = register.querySelector('input[name=current_password]').value;
    post('/account/passkeys/options', csrf, password ? { current_password: password } : null).then(function (options) {
      options.challenge = bytes(options.challenge);
      options.user.id = bytes(options.user.id);
      (options.excludeCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      return post('/account/passkeys?name=' + encodeURIComponent(name), csrf, {
        id: credential.id, rawId: base64url(credential.rawId), type: credential.type,
        response: { attestationObject: base64url(credential.response.attestationObject),
                    clientDataJSON: base64url(credential.response.clientDataJSON) }
      });
    }).then(function (done) { window.location.assign(done.location); }, function (error) { failed(register.parentNode, error); });
  });

  var signIn = document.querySelector('[data-passkey-signin]');
  if (signIn) signIn.querySelector('button').addEventListener('click', function () {
    if (!passkeysWork(signIn)) return;
    post('/login/passkey/options').then(function (options) {
      options.challenge = bytes(options.challenge);
      (options.allowCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
      return navigator.credentials.get({ publicKey: options });
    }).then(function (assertion) {
      return post('/login/passkey?return_to=' + encodeURIComponent(signIn.getAttribute('data-return-to') || ''), null, {
        id: assertion.id, rawId: base64url(assertion.rawId), type: assertion.type,
        response: { authenticatorData: base64url(assertion.response.authenticatorData),
                    clientDataJSON: base64url(assertion.response.clientDataJSON),
                    signature: base64url(assertion.response.signature),
                    userHandle: assertion.response.userHandle ? base64url(assertion.response.userHandle) : null }
      });
    }).then(function (done) { window.location.assign(done.location); }, function (error) { failed(signIn, error); });
  });
})();
