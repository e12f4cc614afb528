#include "server/io_context_pool.h"

#include <algorithm>
#include <thread>

namespace spacestore::server {

IoContextPool::IoContextPool(int threads) {
  const int n = std::max(1, threads);
  contexts_.reserve(static_cast<size_t>(n));
  // Concurrency hint 1: each context is run by one thread, which lets Asio skip waking others.
  for (int i = 0; i < n; ++i) contexts_.push_back(std::make_unique<asio::io_context>(1));
  for (size_t i = 1; i < contexts_.size(); ++i) {
    idle_guards_.emplace_back(contexts_[i]->get_executor());
  }
}

asio::io_context& IoContextPool::Next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoContextPool::Run() {
  std::vector<std::thread> threads;
  threads.reserve(contexts_.size() - 1);
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
  // The control context runs out of work only once shutdown has drained every connection (its
  // grace timer waits for the last one); after Stop the others have stopped already.
  contexts_.front()->run();
  for (auto& guard : idle_guards_) guard.reset();
  for (auto& thread : threads) thread.join();
}

void IoContextPool::Stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace spacestore::server
