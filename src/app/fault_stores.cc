#include "app/fault_stores.h"

#include <memory>
#include <utility>

#include "storage/fault/faulty_blob_store.h"
#include "storage/fault/faulty_metadata_store.h"

namespace spacestore::app {

Stores WithFaultFile(Stores&& stores, const std::string& path) {
  auto faults = std::make_shared<storage::FaultFile>(path);
  return Stores{
      .metadata =
          std::make_unique<storage::FaultyMetadataStore>(std::move(stores.metadata), faults),
      .blobs = std::make_unique<storage::FaultyBlobStore>(std::move(stores.blobs), faults),
      .thumbnails = std::move(stores.thumbnails)};
}

}  // namespace spacestore::app
