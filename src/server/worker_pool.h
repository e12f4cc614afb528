#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/net.h"

namespace spacestore::server {

// WorkerPool runs everything that may block on storage (HttpHandler::Handle and OpenBody, upload
// sink writes, download source reads) off the I/O threads, and hands each result back to the
// coroutine that asked for it, on that coroutine's own executor (its connection's strand).
//
// Ownership: owns its threads; they run until Join.
// Thread-safety: Run may be called from any coroutine on any thread; Join from one thread once
// the I/O threads have stopped.
class WorkerPool {
 public:
  using Executor = asio::thread_pool::executor_type;

  // `threads` below 1 counts as 1.
  explicit WorkerPool(int threads) : pool_(static_cast<size_t>(std::max(1, threads))) {}
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `f` on a worker and resumes the calling coroutine on its executor with f's result.
  // An exception thrown by `f` is rethrown in the coroutine. `f` may capture the caller's
  // locals by reference: the caller is suspended until `f` has returned.
  template <class F>
  awaitable<std::invoke_result_t<F&>> Run(F f);

  // The pool's executor, for coroutines that run on a worker (co_spawn).
  Executor executor() { return pool_.get_executor(); }

  // Waits until all queued work has run and the threads have ended.
  void Join() { pool_.join(); }

 private:
  asio::thread_pool pool_;
};

// A plain post to the pool and a dispatch back: co_spawn would also start a coroutine on the
// pool, which costs an allocation and a scheduler round trip per request.
template <class F>
awaitable<std::invoke_result_t<F&>> WorkerPool::Run(F f) {
  using R = std::invoke_result_t<F&>;
  if constexpr (std::is_void_v<R>) {
    co_await Run([&f] {
      f();
      return true;
    });
  } else {
    co_return co_await asio::async_initiate<decltype(use_awaitable), void(std::exception_ptr, R)>(
        [this, &f](auto handler) {
          // The handler resumes the coroutine through its own executor (the strand); the
          // tracked executor keeps that io_context's work count up until it has.
          auto home = asio::prefer(asio::get_associated_executor(handler),
                                   asio::execution::outstanding_work.tracked);
          asio::post(pool_, [&f, home = std::move(home), handler = std::move(handler)]() mutable {
            std::exception_ptr error;
            std::optional<R> result;
            try {
              result.emplace(f());
            } catch (...) {
              error = std::current_exception();  // Rethrown in the coroutine.
            }
            asio::dispatch(home,
                           [handler = std::move(handler), error, r = std::move(result)]() mutable {
                             std::move(handler)(error, r ? std::move(*r) : R{});
                           });
          });
        },
        use_awaitable);
  }
}

}  // namespace spacestore::server
