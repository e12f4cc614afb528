'use strict';
// Uploads through the public flow: GetFileUploadInfo, PUT, CommitFile for small files;
// InitMultipartFileUpload, GetMultipartFileUploadInfos, a PUT per part, CommitFile above
// MULTIPART_THRESHOLD. XMLHttpRequest rather than fetch: only it reports upload progress.

const MULTIPART_THRESHOLD = 8 * 1024 * 1024;  // Bytes; larger files go in parts.
const PART_SIZE = 4 * 1024 * 1024;            // Bytes per part (the last may be smaller).
const PARTS_PER_QUERY = 30;                   // GetMultipartFileUploadInfos' limit.

/** PUTs `body` to a HeaderSignatureInfo's URL with its headers; onProgress(bytesSent). */
function putSigned(sig, body, onProgress) {
  const { ApiError, sameOriginPath } = window.SpacestoreApi;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', sameOriginPath(sig.resourceUrls[0]));
    for (const [name, value] of Object.entries(sig.headers || {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve();
        return;
      }
      // The transfer endpoints answer errors in the object store's XML shape.
      const text = xhr.responseText || '';
      const code = (text.match(/<Code>([^<]*)<\/Code>/) || [])[1] || '';
      const message = (text.match(/<Message>([^<]*)<\/Message>/) || [])[1] || text.trim();
      reject(new ApiError(xhr.status, code, message || `upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was interrupted'));
    xhr.send(body);
  });
}

/**
 * Uploads `file` into folder `parentId` of `spaceId`; progress(fraction 0..1) as bytes go out.
 * Resolves with the committed dentry. Name conflicts are renamed, as most drives do; with
 * `overwrite` (a file dentry) the content becomes that file's new version instead.
 */
async function uploadFile(drive, spaceId, parentId, file, progress, overwrite) {
  const name = overwrite ? overwrite.name : file.name;
  const preCheckParam = { name, parentId, size: file.size };
  if (overwrite) delete preCheckParam.name;  // The name is taken: by the file it overwrites.
  const commit = (uploadKey) => drive.call('POST', `/spaces/${spaceId}/files/commit`, {
    body: { uploadKey, name, parentId,
      ...(overwrite ? { overwriteDentryId: overwrite.id } : {}),
      option: { size: file.size, conflictStrategy: 'AUTO_RENAME' } },
  });
  if (file.size <= MULTIPART_THRESHOLD) {
    const info = await drive.call('POST', `/spaces/${spaceId}/files/uploadInfos/query`, {
      body: { protocol: 'HEADER_SIGNATURE', multipart: false, option: { preCheckParam } },
    });
    await putSigned(info.headerSignatureInfo, file,
      (sent) => progress(file.size ? sent / file.size : 1));
    return (await commit(info.uploadKey)).dentry;
  }
  const init = await drive.call('POST', `/spaces/${spaceId}/files/multiPartUploadInfos/init`, {
    body: { option: { preCheckParam } },
  });
  const parts = Math.ceil(file.size / PART_SIZE);
  let done = 0;  // Bytes of the parts already stored.
  for (let first = 1; first <= parts; first += PARTS_PER_QUERY) {
    const numbers = [];
    for (let n = first; n < first + PARTS_PER_QUERY && n <= parts; n++) numbers.push(n);
    const infos = await drive.call('POST', '/spaces/files/multiPartUploadInfos/query', {
      body: { uploadKey: init.uploadKey, partNumbers: numbers },
    });
    for (const part of infos.multipartHeaderSignatureInfos) {
      const start = (part.partNumber - 1) * PART_SIZE;
      const slice = file.slice(start, Math.min(start + PART_SIZE, file.size));
      await putSigned(part.headerSignatureInfo, slice,
        (sent) => progress((done + sent) / file.size));
      done += slice.size;
    }
  }
  return (await commit(init.uploadKey)).dentry;
}

window.SpacestoreUpload = { uploadFile, MULTIPART_THRESHOLD, PART_SIZE };
