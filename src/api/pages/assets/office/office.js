// The /office/ page. The access token comes in the URL fragment (#token=...), which the
// browser never sends to a server; the page keeps it in sessionStorage, takes it out of the
// address bar, and sends it as "Authorization: Bearer" to /office/api/. A page opened again
// with a newer token in its fragment (after RefreshWebOfficeToken) uses that one.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const storageKey = 'spacestore.office:' + location.pathname;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(storageKey, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem(storageKey);
  let expireTime = 0;
  let expired = false;

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function showExpired() {
    expired = true;
    $('save').disabled = true;
    status('Your WebOffice token has expired: ask the application for a new link ' +
           '(RefreshWebOfficeToken), then open it again.', true);
  }

  async function call(method, path, body) {
    if (!token) throw new Error('no token');
    const response = await fetch('/office/api/' + path, {
      method,
      headers: { Authorization: 'Bearer ' + token },
      body,
      cache: 'no-store',
    });
    if (response.status === 401) {
      showExpired();
      throw new Error('expired');
    }
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).message || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }

  function formatSize(bytes) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let n = bytes;
    let u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; ++u; }
    return (u === 0 ? n : n.toFixed(1)) + ' ' + units[u];
  }

  function describe(file) {
    $('file-name').textContent = file.name;
    document.title = file.name + ' · WebOffice';
    $('file-meta').textContent = 'version ' + file.version + ' · ' + formatSize(file.size) +
        (file.canEdit ? ' · you can edit' : ' · read only');
  }

  async function show(file) {
    const main = $('content');
    main.replaceChildren();
    const content = await call('GET', 'content');
    if (file.kind === 'text') {
      const area = document.createElement('textarea');
      area.id = 'editor';
      area.value = await content.text();
      area.readOnly = !file.canEdit;
      area.spellcheck = false;
      main.append(area);
      if (file.canEdit) {
        $('save').hidden = false;
        area.addEventListener('input', () => {
          if (!expired) $('save').disabled = false;
          status('Unsaved changes');
        });
      }
      return;
    }
    const url = URL.createObjectURL(await content.blob());
    if (file.kind === 'image') {
      const img = document.createElement('img');
      img.src = url;
      img.alt = file.name;
      main.append(img);
    } else if (file.kind === 'pdf') {
      const embed = document.createElement('embed');
      embed.type = 'application/pdf';
      embed.src = url;
      main.append(embed);
    } else {
      const card = document.createElement('div');
      card.className = 'card';
      const name = document.createElement('div');
      name.textContent = file.name + ' (' + formatSize(file.size) + ')';
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      link.textContent = 'Download';
      card.append(name, link);
      main.append(card);
    }
  }

  async function save() {
    $('save').disabled = true;
    status('Saving…');
    try {
      const response = await call('PUT', 'file', $('editor').value);
      const saved = await response.json();
      $('file-meta').textContent = 'version ' + saved.version + ' · ' + formatSize(saved.size) +
          ' · you can edit';
      status('Saved as version ' + saved.version);
    } catch (e) {
      if (!expired) {
        status('Not saved: ' + e.message, true);
        $('save').disabled = false;
      }
    }
  }

  async function start() {
    if (!token) {
      $('file-name').textContent = 'No token';
      status('Open this page with the webOfficeUrl GetWebOfficeUrl returned.', true);
      return;
    }
    $('save').addEventListener('click', save);
    try {
      const file = await (await call('GET', 'file')).json();
      expireTime = file.expireTime;
      describe(file);
      await show(file);
      // Tell the user as soon as the token runs out, not only at the next save.
      const left = expireTime - Date.now();
      if (left <= 0) showExpired();
      else setTimeout(showExpired, Math.min(left, 2147483647));
    } catch (e) {
      if (!expired) status(e.message, true);
    }
  }

  start();
})();
