'use strict';
// The console page: login, spaces, folders, uploads, the recycle bin, versions and previews.
// Every drive action is a public DingTalk API call (api.js); this file only renders.

(() => {
  const { ApiError, Drive, consoleCall } = window.SpacestoreApi;
  const { uploadFile } = window.SpacestoreUpload;

  const $ = (id) => document.getElementById(id);
  const state = {
    session: null,      // The /console/api/session reply.
    drive: null,        // Drive for the session.
    mode: 'user',       // The login form's mode: 'user' or 'app'.
    spaces: [],         // Space objects, as GetSpace answers them.
    space: null,        // The open space.
    path: [],           // Breadcrumbs: [{id, name}], the root first.
    nextToken: '',      // Of the open folder's listing.
    recycle: { binId: '', nextToken: '' },
  };

  // ---- Small helpers ----

  /** An element with attributes and children (strings become text: never HTML). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'onclick') node.addEventListener('click', value);
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function formatSize(bytes) {
    if (bytes === undefined || bytes === null) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = Number(bytes);
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
  }

  function formatTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
  }

  function showError(error) {
    const message = error instanceof ApiError && error.code
      ? `${error.message} (${error.code})` : String(error.message || error);
    $('error-text').textContent = message;
    $('error').hidden = false;
  }

  function clearError() { $('error').hidden = true; }

  /** Runs an action, showing its error in the banner; resolves with its value or undefined. */
  async function attempt(action) {
    clearError();
    try {
      return await action();
    } catch (error) {
      showError(error);
      return undefined;
    }
  }

  /** Asks for a line of text (or only a confirmation, when `value` is null). */
  function ask(title, value, text = '') {
    const dialog = $('prompt-dialog');
    $('prompt-title').textContent = title;
    $('prompt-text').textContent = text;
    $('prompt-input').hidden = value === null;
    $('prompt-input').value = value === null ? '' : value;
    dialog.returnValue = '';
    dialog.showModal();
    if (value !== null) $('prompt-input').select();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => {
        if (dialog.returnValue !== 'ok') resolve(null);
        else resolve(value === null ? true : $('prompt-input').value.trim());
      }, { once: true });
    });
  }

  /** Saves a Blob as a file named `name` through the browser's download. */
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- Login and session ----

  function setMode(mode) {
    state.mode = mode;
    $('mode-user').classList.toggle('active', mode === 'user');
    $('mode-app').classList.toggle('active', mode === 'app');
    for (const node of document.querySelectorAll('[data-mode]')) {
      node.hidden = node.dataset.mode !== mode;
    }
  }

  async function login(event) {
    event.preventDefault();
    const body = { appKey: $('login-app-key').value.trim(), unionId: $('login-union-id').value.trim() };
    if (state.mode === 'app') body.appSecret = $('login-app-secret').value;
    else body.password = $('login-password').value;
    const session = await attempt(() => consoleCall('POST', 'login', body));
    if (session) {
      $('login-password').value = '';
      $('login-app-secret').value = '';
      await enter(session);
    }
  }

  async function enter(session) {
    state.session = session;
    state.drive = new Drive(session);
    $('login-view').hidden = true;
    $('drive-view').hidden = false;
    $('who').textContent = `${session.name || session.unionId} (${session.unionId})`;
    $('acting-as').hidden = session.mode !== 'app';
    if (session.mode === 'app') await loadUsers();
    await Promise.all([loadOrg(), loadSpaces()]);
  }

  async function loadUsers() {
    const reply = await attempt(() => consoleCall('GET', 'users'));
    if (!reply) return;
    const picker = $('user-picker');
    picker.replaceChildren(...reply.users.map((user) =>
      el('option', { value: user.unionId, text: `${user.name || user.unionId} (${user.unionId})` })));
    picker.value = state.session.unionId;
  }

  async function switchUser() {
    const session = await attempt(() => consoleCall('PUT', 'session', { unionId: $('user-picker').value }));
    if (session) {
      closeSpace();
      await enter(session);
    }
  }

  async function logout() {
    await attempt(() => consoleCall('POST', 'logout', {}));
    state.session = null;
    state.drive = null;
    closeSpace();
    $('drive-view').hidden = true;
    $('login-view').hidden = false;
  }

  // ---- Org and spaces ----

  async function loadOrg() {
    const reply = await attempt(() => state.drive.getOrg());
    if (!reply) return;
    const partition = (reply.org.partitions || [])[0];
    const quota = partition ? partition.quota : null;
    $('org-info').textContent = `org ${reply.org.corpId}` +
      (quota ? ` · ${formatSize(quota.used)} used of ${formatSize(quota.max)}` : '');
  }

  async function loadSpaces() {
    const ids = await attempt(() => state.drive.ownSpaceIds());
    if (!ids) return;
    const known = new Set(state.spaces.map((space) => space.id));
    const replies = await Promise.all(ids.filter((id) => !known.has(id))
      .map((id) => state.drive.getSpace(id).catch(() => null)));
    for (const reply of replies) if (reply) state.spaces.push(reply.space);
    renderSpaces();
  }

  function renderSpaces() {
    $('space-list').replaceChildren(...state.spaces.map((space) => el('li', {},
      el('button', {
        type: 'button', 'data-space': space.id,
        class: state.space && state.space.id === space.id ? 'active' : '',
        onclick: () => openSpace(space.id),
      }, el('span', { text: space.name || space.id }), el('small', { text: space.id })))));
  }

  async function createSpace(event) {
    event.preventDefault();
    // AddSpace is idempotent on (scene, sceneId): a fresh pair makes every create a new space.
    const nonce = Array.from(crypto.getRandomValues(new Uint8Array(12)),
      (byte) => byte.toString(16).padStart(2, '0')).join('');
    const option = { name: $('new-space-name').value.trim(), scene: 'console', sceneId: nonce };
    const mib = Number($('new-space-quota').value);
    if (mib > 0) option.quota = Math.round(mib * 1024 * 1024);
    const reply = await attempt(() => state.drive.addSpace(option));
    if (!reply) return;
    $('new-space-name').value = '';
    $('new-space-quota').value = '';
    $('new-space').open = false;
    if (!state.spaces.some((space) => space.id === reply.space.id)) state.spaces.push(reply.space);
    await openSpace(reply.space.id);
  }

  async function openSpace(spaceId) {
    const reply = await attempt(() => state.drive.getSpace(spaceId));
    if (!reply) return;
    const space = reply.space;
    const index = state.spaces.findIndex((known) => known.id === space.id);
    if (index >= 0) state.spaces[index] = space;
    else state.spaces.push(space);
    state.space = space;
    state.path = [{ id: '0', name: space.name || space.id }];
    $('no-space').hidden = true;
    $('space-pane').hidden = false;
    renderSpaces();
    renderSpaceHead();
    await loadFolder();
  }

  function closeSpace() {
    state.space = null;
    state.spaces = [];
    $('space-pane').hidden = true;
    $('no-space').hidden = false;
  }

  function renderSpaceHead() {
    const space = state.space;
    $('space-title').textContent = space.name || space.id;
    const max = Number(space.quota || 0);
    const used = Number(space.usedQuota || 0);
    $('space-quota').textContent = max > 0
      ? `${formatSize(used)} of ${formatSize(max)}` : `${formatSize(used)} used`;
    $('space-quota-bar').max = max > 0 ? max : 1;
    $('space-quota-bar').value = max > 0 ? used : 0;
  }

  async function refreshSpace() {
    const reply = await attempt(() => state.drive.getSpace(state.space.id));
    if (reply) {
      state.space = reply.space;
      renderSpaceHead();
    }
  }

  // ---- Folders ----

  function folderId() { return state.path[state.path.length - 1].id; }

  function renderCrumbs(target, path, go) {
    const nodes = [];
    path.forEach((folder, index) => {
      if (index > 0) nodes.push(el('span', { text: '/' }));
      nodes.push(el('button', { type: 'button', onclick: () => go(index) }, folder.name));
    });
    target.replaceChildren(...nodes);
  }

  async function loadFolder(more = false) {
    const reply = await attempt(() => state.drive.listDentries(state.space.id, folderId(),
      more ? state.nextToken : ''));
    if (!reply) return;
    state.nextToken = reply.nextToken || '';
    renderCrumbs($('breadcrumbs'), state.path, (index) => {
      state.path = state.path.slice(0, index + 1);
      loadFolder();
    });
    const rows = reply.dentries.map(fileRow);
    if (more) $('file-rows').append(...rows);
    else $('file-rows').replaceChildren(...rows);
    $('empty-folder').hidden = $('file-rows').children.length > 0;
    $('load-more').hidden = !state.nextToken;
  }

  function fileRow(dentry) {
    const folder = dentry.type === 'FOLDER';
    const open = folder
      ? () => { state.path.push({ id: dentry.id, name: dentry.name }); loadFolder(); }
      : () => preview(dentry);
    const actions = el('td', { class: 'actions' });
    if (!folder) {
      actions.append(el('button', { type: 'button', class: 'link', onclick: () => download(dentry) }, 'Download'));
      actions.append(el('button', { type: 'button', class: 'link', onclick: () => showVersions(dentry) }, 'Versions'));
      actions.append(el('button', { type: 'button', class: 'link', onclick: () => pickNewVersion(dentry) }, 'New version'));
    }
    actions.append(
      el('button', { type: 'button', class: 'link', onclick: () => rename(dentry) }, 'Rename'),
      el('button', { type: 'button', class: 'link', onclick: () => move(dentry) }, 'Move'),
      el('button', { type: 'button', class: 'link danger', onclick: () => remove(dentry) }, 'Delete'));
    return el('tr', { 'data-name': dentry.name, 'data-id': dentry.id, 'data-type': dentry.type },
      el('td', { class: 'name' }, el('span', { class: folder ? 'icon folder' : 'icon file' }),
        el('button', { type: 'button', onclick: open }, dentry.name)),
      el('td', { class: 'num size', 'data-size': folder ? '' : String(dentry.size) },
        folder ? '' : formatSize(dentry.size)),
      el('td', { text: formatTime(dentry.modifiedTime) }),
      el('td', { text: folder ? '' : String(dentry.version || '') }),
      actions);
  }

  async function newFolder() {
    const name = await ask('New folder', '');
    if (!name) return;
    if (await attempt(() => state.drive.addFolder(state.space.id, folderId(), name))) await loadFolder();
  }

  async function rename(dentry) {
    const name = await ask(`Rename ${dentry.name}`, dentry.name);
    if (!name || name === dentry.name) return;
    if (await attempt(() => state.drive.rename(state.space.id, dentry.id, name))) await loadFolder();
  }

  async function remove(dentry) {
    const sure = await ask(`Delete ${dentry.name}?`, null, 'It goes to the recycle bin, from where it can be restored.');
    if (!sure) return;
    if (await attempt(() => state.drive.remove(state.space.id, dentry.id))) {
      await loadFolder();
      await refreshSpace();
    }
  }

  // ---- Move: pick a folder of the space ----

  async function move(dentry) {
    const dialog = $('move-dialog');
    let path = [{ id: '0', name: state.space.name || state.space.id }];
    $('move-title').textContent = `Move ${dentry.name} to…`;
    const show = async () => {
      renderCrumbs($('move-crumbs'), path, (index) => { path = path.slice(0, index + 1); show(); });
      const folders = [];
      let token = '';
      do {  // Every folder of this level (listings come 50 at a time).
        const reply = await attempt(() => state.drive.listDentries(state.space.id, path[path.length - 1].id, token));
        if (!reply) return;
        folders.push(...reply.dentries.filter((d) => d.type === 'FOLDER' && d.id !== dentry.id));
        token = reply.nextToken || '';
      } while (token);
      $('move-folders').replaceChildren(...folders.map((folder) => el('li', {},
        el('button', { type: 'button', 'data-folder': folder.name,
          onclick: () => { path.push({ id: folder.id, name: folder.name }); show(); } },
          el('span', { class: 'icon folder' }), folder.name))));
    };
    dialog.returnValue = '';
    dialog.showModal();
    await show();
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue !== 'ok') return;
      const target = path[path.length - 1].id;
      if (await attempt(() => state.drive.move(state.space.id, dentry.id, target))) await loadFolder();
    }, { once: true });
  }

  // ---- Upload and download ----

  /** Asks for a file whose content becomes `dentry`'s next version. */
  function pickNewVersion(dentry) {
    const input = $('version-input');
    input.onchange = () => {
      const files = Array.from(input.files);
      input.value = '';
      if (files.length) upload(files.slice(0, 1), dentry);
    };
    input.click();
  }

  async function upload(files, overwrite) {
    const spaceId = state.space.id;
    const parentId = folderId();
    let failure = null;
    for (const file of files) {
      const bar = el('progress', { max: '1', value: '0' });
      const label = el('span', { class: 'percent', text: '0%' });
      const item = el('li', { 'data-upload': file.name }, el('span', { text: file.name }), bar, label);
      $('uploads').append(item);
      try {
        await uploadFile(state.drive, spaceId, parentId, file, (fraction) => {
          bar.value = fraction;
          label.textContent = `${Math.floor(fraction * 100)}%`;
        }, overwrite);
        item.remove();
      } catch (error) {
        label.textContent = 'failed';
        item.classList.add('failed');
        failure = error;
        showError(error);
        setTimeout(() => item.remove(), 10000);
      }
    }
    if (state.space && state.space.id === spaceId) {
      await loadFolder();
      await refreshSpace();
    }
    if (failure) showError(failure);  // The refresh above cleared the banner.
  }

  async function download(dentry, version) {
    const blob = await attempt(() => state.drive.fetchContent(state.space.id, dentry.id, version));
    if (blob) saveBlob(blob, dentry.name);
  }

  // ---- Preview: images, PDFs and text in the page ----

  const TEXT = /\.(txt|md|csv|json|log|xml|ya?ml|ini|conf|js|ts|css|html?|c|cc|h|cpp|py|go|rs|java|sh)$/i;
  const IMAGE = /\.(png|jpe?g|gif|webp|bmp|svg)$/i;
  const TYPES = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
    gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', svg: 'image/svg+xml' };
  const MAX_TEXT = 1024 * 1024;  // Bytes of text shown.

  async function preview(dentry) {
    const body = $('preview-body');
    $('preview-title').textContent = dentry.name;
    body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    $('preview-download').onclick = () => download(dentry);
    $('preview-dialog').showModal();
    const extension = (dentry.name.split('.').pop() || '').toLowerCase();
    const showable = IMAGE.test(dentry.name) || extension === 'pdf' || TEXT.test(dentry.name);
    if (!showable) {
      body.replaceChildren(el('p', { text: `${dentry.name} (${formatSize(dentry.size)}) cannot be shown here; download it instead.` }));
      return;
    }
    const blob = await attempt(() => state.drive.fetchContent(state.space.id, dentry.id));
    if (!blob) {
      $('preview-dialog').close();
      return;
    }
    if (TEXT.test(dentry.name)) {
      const text = await blob.slice(0, MAX_TEXT).text();
      body.replaceChildren(el('pre', { text: blob.size > MAX_TEXT ? `${text}\n…` : text }));
      return;
    }
    // A typed Blob URL: the browser renders it itself, with no server round trip.
    const url = URL.createObjectURL(new Blob([blob], { type: TYPES[extension] || '' }));
    $('preview-dialog').addEventListener('close', () => URL.revokeObjectURL(url), { once: true });
    body.replaceChildren(extension === 'pdf'
      ? el('iframe', { src: url, title: dentry.name })
      : el('img', { src: url, alt: dentry.name }));
  }

  // ---- Versions ----

  async function showVersions(dentry) {
    const reply = await attempt(() => state.drive.versions(state.space.id, dentry.id));
    if (!reply) return;
    const latest = Math.max(...reply.dentries.map((v) => Number(v.version)));
    $('versions-title').textContent = `Versions of ${dentry.name}`;
    $('version-rows').replaceChildren(...reply.dentries.map((version) => {
      const actions = el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'link', onclick: () => download(dentry, version.version) }, 'Download'));
      if (Number(version.version) !== latest) {
        actions.append(el('button', { type: 'button', class: 'link', onclick: async () => {
          if (await attempt(() => state.drive.revert(state.space.id, dentry.id, version.version))) {
            $('versions-dialog').close();
            await loadFolder();
            await refreshSpace();
          }
        } }, 'Revert'));
      }
      return el('tr', { 'data-version': String(version.version) },
        el('td', { text: String(version.version) }),
        el('td', { class: 'num', text: formatSize(version.size) }),
        el('td', { text: formatTime(version.modifiedTime) }),
        el('td', { text: version.modifierId || '' }),
        actions);
    }));
    $('versions-dialog').showModal();
  }

  // ---- Recycle bin ----

  async function showRecycle(more = false) {
    if (!more) {
      const bin = await attempt(() => state.drive.recycleBin(state.space.id));
      if (!bin) return;
      state.recycle = { binId: bin.recycleBin.id, nextToken: '' };
    }
    const reply = await attempt(() => state.drive.recycleItems(state.recycle.binId, more ? state.recycle.nextToken : ''));
    if (!reply) return;
    state.recycle.nextToken = reply.nextToken || '';
    const rows = reply.recycleItems.map((item) => el('tr', { 'data-name': item.originalName },
      el('td', {}, el('span', { class: item.type === 'FOLDER' ? 'icon folder' : 'icon file' }),
        item.originalName),
      el('td', { text: item.originalPath || '' }),
      el('td', { class: 'num', text: item.type === 'FOLDER' ? '' : formatSize(item.size) }),
      el('td', { text: formatTime(item.operatorTime) }),
      el('td', { class: 'actions' }, el('button', { type: 'button', class: 'link', onclick: async () => {
        if (await attempt(() => state.drive.restore(state.recycle.binId, item.id))) {
          await showRecycle();
          await loadFolder();
          await refreshSpace();
        }
      } }, 'Restore'))));
    if (more) $('recycle-rows').append(...rows);
    else $('recycle-rows').replaceChildren(...rows);
    $('recycle-empty').hidden = $('recycle-rows').children.length > 0;
    $('recycle-more').hidden = !state.recycle.nextToken;
    if (!$('recycle-dialog').open) $('recycle-dialog').showModal();
  }

  // ---- Wiring ----

  function wire() {
    $('mode-user').addEventListener('click', () => setMode('user'));
    $('mode-app').addEventListener('click', () => setMode('app'));
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('user-picker').addEventListener('change', switchUser);
    $('error-close').addEventListener('click', clearError);
    $('new-space-form').addEventListener('submit', createSpace);
    $('open-space-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('open-space-id').value.trim();
      if (id) openSpace(id);
    });
    $('new-folder').addEventListener('click', newFolder);
    $('load-more').addEventListener('click', () => loadFolder(true));
    $('upload-input').addEventListener('change', (event) => {
      const files = Array.from(event.target.files);
      event.target.value = '';
      upload(files);
    });
    $('show-recycle').addEventListener('click', () => showRecycle());
    $('recycle-more').addEventListener('click', () => showRecycle(true));
    $('preview-dialog').addEventListener('close', () => $('preview-body').replaceChildren());
  }

  async function start() {
    wire();
    setMode('user');
    try {
      // A reload keeps the session: the cookie still holds it.
      await enter(await consoleCall('GET', 'session'));
    } catch {
      $('login-view').hidden = false;
    }
    document.body.dataset.ready = 'true';
  }

  start();
})();
