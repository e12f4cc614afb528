#pragma once

#include <cstdint>
#include <string>

namespace spacestore::app {

// Everything `spacestore serve` can be told, by flag or environment variable (the flag wins).
struct ServeConfig {
  // HOST:PORT to listen on; port 0 picks a free one. Env SPACESTORE_LISTEN.
  // Default: 127.0.0.1:8080.
  std::string listen = "127.0.0.1:8080";
  // Directory for metadata.db (and, later, blobs). Created if missing. Env SPACESTORE_DATA_DIR.
  // Default: ./data.
  std::string data_dir = "./data";
  // Base URL clients use to reach this server, for signed upload/download URLs.
  // Env SPACESTORE_PUBLIC_URL. Default: http://<listen address>.
  std::string public_url;
  // Metadata backend: "sqlite" (in data_dir), "memory" (nothing persists), or a PostgreSQL
  // URL "postgres://USER[:PASS]@HOST:PORT/DB[?...]" shared by several nodes
  // (docs/postgres.md). Env SPACESTORE_METADATA. Default: sqlite.
  std::string metadata = "sqlite";
  // Bootstrap credentials (empty: generated on first start). Env SPACESTORE_CORP_ID,
  // SPACESTORE_APP_KEY, SPACESTORE_APP_SECRET, SPACESTORE_UNION_ID.
  std::string corp_id, app_key, app_secret, union_id;
  // Access-token lifetime in seconds. Env SPACESTORE_TOKEN_TTL. Default: 7200.
  int64_t token_ttl_seconds = 7200;
  // Largest JSON request body in bytes (413 above). Env SPACESTORE_MAX_BODY_BYTES.
  // Default: 1 MiB.
  int64_t max_body_bytes = int64_t{1024} * 1024;
  // Time to receive a whole request, in ms (408 after). Env SPACESTORE_READ_TIMEOUT_MS.
  // Default: 30000.
  int64_t read_timeout_ms = 30000;
  // Socket threads and handler threads. Env SPACESTORE_IO_THREADS, SPACESTORE_WORKERS.
  // Defaults: 2, and the number of cores (at least 2). More threads than cores only add context
  // switches: on 2 cores, 2 and 2 served GetSpace about 25% faster than 2 and 4 (bench/run.sh).
  int io_threads = 2;
  // 0: the number of cores (at least 2), or 8 per core with PostgreSQL metadata, where a
  // handler mostly waits on the network (docs/deployment.md).
  int workers = 0;
  // Most connections open at once; at the limit the server stops accepting until one closes
  // (clients wait in the listen backlog). Lowered, with a warning, to the open files limit less
  // 256 (the soft limit is raised to the hard limit at start). Env SPACESTORE_MAX_CONNECTIONS.
  // Default: 10000.
  int64_t max_connections = 10000;
  // One JSON access-log line per request on stderr. Env SPACESTORE_ACCESS_LOG. Default: true.
  bool access_log = true;
  // Blob backend: "local" (data_dir/blobs), "local:DIR", "memory" or
  // "s3://BUCKET?endpoint=http://HOST:PORT&region=REGION" (docs/s3.md). Env SPACESTORE_BLOBS.
  // Default: local.
  std::string blobs = "local";
  // Lifetime of signed URLs, seconds. Env SPACESTORE_URL_TTL. Default: 900.
  int64_t url_ttl_seconds = 900;
  // How long a checkLogin=false preview link waits for its one use, seconds
  // (docs/open-links.md). Env SPACESTORE_OPEN_LINK_TTL. Default: 300 (the reference's 5 min).
  int64_t open_link_ttl_seconds = 300;
  // Lifetimes of the WebOffice access and refresh tokens, seconds. Env
  // SPACESTORE_OFFICE_ACCESS_TTL, SPACESTORE_OFFICE_REFRESH_TTL. Default: 1800 and 86400.
  int64_t office_access_ttl_seconds = 1800;
  int64_t office_refresh_ttl_seconds = 86400;
  // Lifetime of an upload key, seconds. Env SPACESTORE_UPLOAD_TTL. Default: 86400.
  int64_t upload_ttl_seconds = 86400;
  // Blobs and staging files younger than this are never collected, seconds.
  // Env SPACESTORE_BLOB_GRACE. Default: 3600.
  int64_t blob_grace_seconds = 3600;
  // How often the collector runs, seconds. Env SPACESTORE_COLLECT_INTERVAL. Default: 60.
  int64_t collect_interval_seconds = 60;
  // How long a node holds the lease of background work (task runner, upload expiry, collector)
  // without renewing it, milliseconds: with several nodes on one store, a dead node's work is
  // taken over this long after it died (the collector's leases also span two collect
  // intervals). Env SPACESTORE_LEASE_MS. Default: 15000.
  int64_t lease_ms = 15000;
  // Push delivery of events (docs/events.md, "Retries and dead letters"): failed attempts
  // before an event is dead-lettered (Env SPACESTORE_EVENT_MAX_ATTEMPTS, default 8), the wait
  // after the first failure, doubled after each further one, milliseconds (Env
  // SPACESTORE_EVENT_BACKOFF_MS, default 1000), the longest wait, milliseconds (Env
  // SPACESTORE_EVENT_BACKOFF_CAP_MS, default 300000), and how often other nodes' events are
  // looked for, milliseconds (Env SPACESTORE_EVENT_POLL_MS, default 1000).
  int event_max_attempts = 8;
  int64_t event_backoff_ms = 1000;
  int64_t event_backoff_cap_ms = 300000;
  int64_t event_poll_ms = 1000;
  // Bound on one event POST (connect, send, read the answer), milliseconds. Env
  // SPACESTORE_EVENT_TIMEOUT_MS. Default: 10000.
  int64_t event_timeout_ms = 10000;
  // Largest upload PUT body, bytes. Env SPACESTORE_MAX_UPLOAD_BYTES. Default: 64 GiB.
  int64_t max_upload_bytes = int64_t{64} << 30;
  // A JSON file with the signing keys (token_key, url_key, optional previous_token_key and
  // previous_url_key), kept outside the data dir; refused when others can read it. Keys may
  // also come from SPACESTORE_TOKEN_KEY, SPACESTORE_URL_KEY, SPACESTORE_PREVIOUS_TOKEN_KEY and
  // SPACESTORE_PREVIOUS_URL_KEY (never from flags: ps shows them). Keys given so are not
  // written to the store. Env SPACESTORE_KEYS_FILE. Default: none, the keys live in
  // metadata.db (docs/security.md).
  std::string keys_file;
  // TEST ONLY: a fault file (storage/fault/fault_plan.h) that makes the stores fail on demand;
  // hidden from --help. Env SPACESTORE_FAULT_FILE. Default: empty (no fault decorators at all).
  std::string fault_file;
  // Who may read GET /metrics (docs/metrics.md): "loopback" (peers on
  // 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104), "any" (whoever reaches the listener) or "off"
  // (the path is not served). Env SPACESTORE_METRICS. Default: loopback.
  std::string metrics = "loopback";
};

}  // namespace spacestore::app
