// TableCopier: a keyset scan of each source table in batches, each batch inserted into the
// target in one transaction that skips keys already there and hands back the stored rows to be
// compared here, so that the comparison is written once for every backend. Verification does
// not merge the two stores' scans (PostgreSQL and SQLite may order TEXT keys differently);
// it compares counts and order-independent digests instead. Rejected: a copy of the whole
// store in one transaction (a long write transaction on the target, and nothing kept when it
// fails halfway), and comparing row by row through lookups (a round trip per row).
#include "tools/admin/table_copier.h"

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <utility>

#include "base/crypto.h"

namespace spacestore::tools {
namespace {

using storage::ColumnInfo;
using storage::Row;
using storage::TableAccess;
using storage::TableInfo;
using storage::Value;

Error SchemaMismatch(const std::string& why) {
  return MakeError(Errc::kPreconditionFailed, "schema",
                   "the source and target schemas differ: " + why +
                       " (run the same spacestore version on both; opening a store migrates it)");
}

const char* TypeName(storage::ColumnType type) {
  switch (type) {
    case storage::ColumnType::kInteger:
      return "INTEGER";
    case storage::ColumnType::kReal:
      return "REAL";
    case storage::ColumnType::kText:
      return "TEXT";
    case storage::ColumnType::kBlob:
      return "BLOB";
  }
  return "?";
}

// A value as a person reads it in an error message (key values only: ids, never payloads).
std::string Show(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return "'" + *s + "'";
  if (std::holds_alternative<storage::Bytes>(v)) return "<bytes>";
  return "NULL";
}

std::string ShowKey(const TableInfo& table, const Row& row) {
  std::string out;
  for (size_t k : table.key) {
    if (!out.empty()) out += ", ";
    out += table.columns[k].name + "=" + Show(row[k]);
  }
  return "(" + out + ")";
}

// Appends a type tag and the value, length-prefixed where its length varies, so that no two
// different rows encode alike.
void Encode(const Value& v, std::string& out) {
  auto append_u64 = [&](uint64_t x) {
    std::array<char, 8> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(x >> (8 * i));
    out.append(bytes.data(), bytes.size());
  };
  out.push_back(static_cast<char>(v.index()));
  if (const auto* i = std::get_if<int64_t>(&v)) {
    append_u64(static_cast<uint64_t>(*i));
  } else if (const auto* d = std::get_if<double>(&v)) {
    append_u64(std::bit_cast<uint64_t>(*d));
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    append_u64(s->size());
    out += *s;
  } else if (const auto* b = std::get_if<storage::Bytes>(&v)) {
    append_u64(b->data.size());
    out += b->data;
  }
}

// The columns that enter a row's digest, ordered by name so that stores ordering their columns
// differently digest alike.
std::vector<size_t> DigestColumns(const TableInfo& table) {
  std::vector<size_t> cols;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (!table.columns[i].maintained) cols.push_back(i);
  }
  std::sort(cols.begin(), cols.end(),
            [&](size_t a, size_t b) { return table.columns[a].name < table.columns[b].name; });
  return cols;
}

void AddRow(const std::vector<size_t>& cols, const TableInfo& table, const Row& row,
            TableDigest& digest) {
  thread_local std::string encoded;  // Reused: one allocation per table, not per row.
  encoded.clear();
  for (size_t c : cols) {
    encoded += table.columns[c].name;
    encoded.push_back('\0');
    Encode(row[c], encoded);
  }
  const std::string hex = Sha256Hex(encoded);
  for (size_t lane = 0; lane < digest.sum.size(); ++lane) {
    uint64_t word = 0;
    for (size_t i = lane * 16; i < lane * 16 + 16; ++i) {
      const char c = hex[i];
      word = word << 4 | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    // Sums wrap modulo 2^64 by design: the digest is a multiset hash.
    digest.sum[lane] += word;
  }
  ++digest.rows;
}

// Target rows per table that CheckTarget looks up in the source.
constexpr size_t kSampleRows = 64;

// The key of `row` (a row of `table`), for the next scan to start after.
Row KeyOf(const TableInfo& table, const Row& row) {
  Row key;
  for (size_t k : table.key) key.push_back(row[k]);
  return key;
}

}  // namespace

TableCopier::TableCopier(TableAccess& from, TableAccess& to, Options options)
    : from_(from), to_(to), options_(std::move(options)) {}

Result<std::vector<TableCopier::Pair>> TableCopier::PairTables() {
  auto from_version = from_.SchemaVersion();
  if (!from_version) return from_version.error();
  auto to_version = to_.SchemaVersion();
  if (!to_version) return to_version.error();
  if (*from_version != *to_version) {
    return SchemaMismatch("the source is at schema version " + std::to_string(*from_version) +
                          ", the target at " + std::to_string(*to_version));
  }
  auto from_tables = from_.ListTables();
  if (!from_tables) return from_tables.error();
  auto to_tables = to_.ListTables();
  if (!to_tables) return to_tables.error();
  std::map<std::string, TableInfo> targets;
  for (auto& t : *to_tables) targets.emplace(t.name, std::move(t));

  std::vector<Pair> pairs;
  std::set<std::string> done;
  for (auto& from : *from_tables) {
    auto to = targets.find(from.name);
    if (to == targets.end()) return SchemaMismatch("the target has no table " + from.name);
    Pair pair{std::move(from), std::move(to->second), {}};
    targets.erase(to);
    // Parents first, by the foreign keys of both stores: an insert never waits for a parent.
    for (const auto* refs : {&pair.from.references, &pair.to.references}) {
      for (const auto& parent : *refs) {
        if (!done.contains(parent)) {
          return SchemaMismatch("table " + pair.from.name + " references " + parent +
                                ", which the source lists after it");
        }
      }
    }
    if (pair.from.columns.size() != pair.to.columns.size()) {
      return SchemaMismatch("table " + pair.from.name + " has " +
                            std::to_string(pair.from.columns.size()) + " columns in the source, " +
                            std::to_string(pair.to.columns.size()) + " in the target");
    }
    for (const auto& column : pair.from.columns) {
      auto match = std::find_if(pair.to.columns.begin(), pair.to.columns.end(),
                                [&](const ColumnInfo& c) { return c.name == column.name; });
      if (match == pair.to.columns.end() || match->type != column.type) {
        return SchemaMismatch("column " + pair.from.name + "." + column.name + " (" +
                              TypeName(column.type) + ") is not in the target with that type");
      }
      pair.to_index.push_back(static_cast<size_t>(match - pair.to.columns.begin()));
    }
    std::vector<size_t> from_key;
    for (size_t k : pair.from.key) from_key.push_back(pair.to_index[k]);
    if (from_key != pair.to.key) {
      return SchemaMismatch("table " + pair.from.name + " has another primary key in the target");
    }
    done.insert(pair.from.name);
    pairs.push_back(std::move(pair));
  }
  if (!targets.empty()) {
    return SchemaMismatch("the source has no table " + targets.begin()->first);
  }
  return pairs;
}

Result<void> TableCopier::SameRow(const Pair& pair, const Row& source, const Row& stored) {
  for (size_t i = 0; i < source.size(); ++i) {
    if (pair.from.columns[i].maintained || stored[pair.to_index[i]] == source[i]) continue;
    return MakeError(Errc::kConflict, pair.from.name,
                     "the target already holds a different row " + ShowKey(pair.from, source) +
                         " in table " + pair.from.name + " (column " + pair.from.columns[i].name +
                         "): it is not an earlier copy of this source; migrate into an empty "
                         "store");
  }
  return {};
}

Result<void> TableCopier::CheckTarget(const std::vector<Pair>& pairs) {
  for (const auto& pair : pairs) {
    auto sample = to_.ScanRows(pair.to, std::nullopt, kSampleRows);
    if (!sample) return sample.error();
    // The sampled target rows by key (encoded), each to be found in the source.
    std::map<std::string, const Row*> wanted;
    for (const auto& row : *sample) {
      std::string key;
      for (size_t k : pair.to.key) Encode(row[k], key);
      wanted.emplace(std::move(key), &row);
    }
    std::optional<Row> after;
    while (!wanted.empty()) {
      auto batch = from_.ScanRows(pair.from, after, options_.batch_rows);
      if (!batch) return batch.error();
      for (const auto& row : *batch) {
        std::string key;
        for (size_t k : pair.from.key) Encode(row[k], key);
        auto it = wanted.find(key);
        if (it == wanted.end()) continue;
        if (auto same = SameRow(pair, row, *it->second); !same) return same.error();
        wanted.erase(it);
      }
      if (batch->size() < options_.batch_rows) break;
      after = KeyOf(pair.from, batch->back());
    }
    if (!wanted.empty()) {
      return MakeError(Errc::kConflict, pair.from.name,
                       "the target holds rows the source does not have in table " + pair.from.name +
                           ", e.g. " + ShowKey(pair.to, *wanted.begin()->second) +
                           ": it is not an earlier copy of this source; migrate into an empty "
                           "store");
    }
  }
  return {};
}

Result<std::vector<TableCopyStats>> TableCopier::Copy() {
  auto pairs = PairTables();
  if (!pairs) return pairs.error();
  // Before anything is written: a target that is not empty must look like an earlier copy of
  // this source, so that a mistyped --to never gets rows written into another deployment.
  if (auto r = CheckTarget(*pairs); !r) return r.error();
  copied_.clear();
  std::vector<TableCopyStats> out;
  for (const auto& pair : *pairs) {
    auto stats = CopyTable(pair);
    if (!stats) return stats.error();
    if (options_.on_table) options_.on_table(*stats);
    out.push_back(std::move(*stats));
  }
  copied_ = out;
  return out;
}

Result<TableCopyStats> TableCopier::CopyTable(const Pair& pair) {
  TableCopyStats stats;
  stats.table = pair.from.name;
  const auto digest_cols = DigestColumns(pair.from);
  std::optional<Row> after;
  for (;;) {
    auto batch = from_.ScanRows(pair.from, after, options_.batch_rows);
    if (!batch) return batch.error();
    if (batch->empty()) break;
    std::vector<Row> rows;
    rows.reserve(batch->size());
    for (const auto& row : *batch) {
      AddRow(digest_cols, pair.from, row, stats.source);
      Row target(row.size());
      for (size_t i = 0; i < row.size(); ++i) target[pair.to_index[i]] = row[i];
      rows.push_back(std::move(target));
    }
    auto put = to_.InsertRows(pair.to, rows);
    if (!put) return put.error();
    stats.rows += std::ssize(*batch);
    stats.inserted += put->inserted;
    // The stored rows come back in the order given, so they match the skipped rows in turn.
    size_t next = 0;
    for (const auto& row : *batch) {
      if (next == put->existing.size()) break;
      const Row& stored = put->existing[next];
      bool same_key = true;
      for (size_t k : pair.from.key) same_key = same_key && stored[pair.to_index[k]] == row[k];
      if (!same_key) continue;
      ++next;
      if (auto same = SameRow(pair, row, stored); !same) return same.error();
    }
    if (next != put->existing.size()) {
      return MakeError(Errc::kInternal, pair.from.name,
                       "the target returned rows for keys it was not given");
    }
    stats.present += std::ssize(put->existing);
    if (batch->size() < options_.batch_rows) break;
    after = KeyOf(pair.from, batch->back());
  }
  return stats;
}

Result<TableDigest> TableCopier::DigestTable(TableAccess& access, const TableInfo& table) {
  TableDigest digest;
  const auto cols = DigestColumns(table);
  std::optional<Row> after;
  for (;;) {
    auto batch = access.ScanRows(table, after, options_.batch_rows);
    if (!batch) return batch.error();
    for (const auto& row : *batch) AddRow(cols, table, row, digest);
    if (batch->size() < options_.batch_rows) break;
    after = KeyOf(table, batch->back());
  }
  auto count = access.CountRows(table);
  if (!count) return count.error();
  if (*count != digest.rows) {
    // Rows came or went between the scan and the count: something else writes to the store.
    return MakeError(Errc::kConflict, table.name,
                     "table " + table.name + " changed while it was read (" +
                         std::to_string(digest.rows) + " rows scanned, " + std::to_string(*count) +
                         " counted): is a server still writing to it?");
  }
  return digest;
}

Result<std::vector<TableDigest>> TableCopier::Verify() {
  auto pairs = PairTables();
  if (!pairs) return pairs.error();
  std::vector<TableDigest> out;
  for (const auto& pair : *pairs) {
    auto source = DigestTable(from_, pair.from);
    if (!source) return source.error();
    auto copied = std::find_if(copied_.begin(), copied_.end(),
                               [&](const TableCopyStats& s) { return s.table == pair.from.name; });
    if (copied != copied_.end() && copied->source != *source) {
      return MakeError(Errc::kConflict, pair.from.name,
                       "the source changed during the migration (table " + pair.from.name + ": " +
                           std::to_string(copied->source.rows) + " rows copied, " +
                           std::to_string(source->rows) +
                           " now): stop every server using it and run migrate again");
    }
    auto target = DigestTable(to_, pair.to);
    if (!target) return target.error();
    if (*target != *source) {
      return MakeError(Errc::kConflict, pair.from.name,
                       "the target differs from the source in table " + pair.from.name + " (" +
                           std::to_string(source->rows) + " rows in the source, " +
                           std::to_string(target->rows) +
                           " in the target): it holds data that is not this source's");
    }
    out.push_back(*source);
  }
  return out;
}

}  // namespace spacestore::tools
