#pragma once

// EventReceiver: a local HTTP/1.1 server for the push delivery tests. It accepts on
// 127.0.0.1 (a free port, or a given one), reads each request of a keep-alive connection (the
// pusher reuses connections), records it and answers with the status the test sets (200 by
// default). Requests are recorded before they are answered, so a recorded request may still
// be retried if the answer is lost. Thread-safe; stops (closing every connection) on
// destruction.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace spacestore::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
  std::chrono::steady_clock::time_point at;
  int status = 0;  // What it was answered with.
};

class EventReceiver {
 public:
  // Listens on 127.0.0.1:`port` (0: a free one).
  explicit EventReceiver(int port = 0) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listen_fd_, 64) != 0) {
      close(listen_fd_);
      throw std::runtime_error("EventReceiver: cannot listen on port " + std::to_string(port));
    }
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~EventReceiver() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    acceptor_.join();
    std::vector<std::thread> connections;
    {
      std::lock_guard lock(mu_);
      for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
      connections.swap(connections_);
    }
    for (auto& t : connections) t.join();
  }
  EventReceiver(const EventReceiver&) = delete;
  EventReceiver& operator=(const EventReceiver&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The status every later request is answered with.
  void set_status(int status) { status_ = status; }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Waits until `done(requests)` holds or `timeout` passes; returns whether it held.
  bool WaitFor(const std::function<bool(const std::vector<ReceivedRequest>&)>& done,
               std::chrono::seconds timeout = std::chrono::seconds(60)) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return done(requests_); });
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        if (stopping_) return;
        continue;
      }
      std::lock_guard lock(mu_);
      open_fds_.push_back(fd);
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[8192];
    for (;;) {
      size_t header_end;
      while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0) return Close(fd);
        buffer.append(chunk, static_cast<size_t>(n));
      }
      ReceivedRequest request;
      const std::string head = buffer.substr(0, header_end);
      size_t line_end = head.find("\r\n");
      const std::string start = head.substr(0, line_end);
      request.method = start.substr(0, start.find(' '));
      request.target = start.substr(start.find(' ') + 1, start.rfind(' ') - start.find(' ') - 1);
      size_t content_length = 0;
      while (line_end != std::string::npos) {
        const size_t next = head.find("\r\n", line_end + 2);
        const std::string line = head.substr(line_end + 2, next - line_end - 2);
        line_end = next;
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (name == "content-length") content_length = std::stoul(value);
        request.headers[name] = value;
      }
      buffer.erase(0, header_end + 4);
      while (buffer.size() < content_length) {
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0) return Close(fd);
        buffer.append(chunk, static_cast<size_t>(n));
      }
      request.body = buffer.substr(0, content_length);
      buffer.erase(0, content_length);
      request.at = std::chrono::steady_clock::now();
      const int status = status_;
      request.status = status;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(std::move(request));
      }
      cv_.notify_all();
      const std::string reply = "HTTP/1.1 " + std::to_string(status) +
                                (status < 300 ? " OK" : " Unavailable") +
                                "\r\nContent-Length: 0\r\n\r\n";
      if (write(fd, reply.data(), reply.size()) != static_cast<ssize_t>(reply.size())) {
        return Close(fd);
      }
    }
  }

  void Close(int fd) {
    std::lock_guard lock(mu_);
    std::erase(open_fds_, fd);
    close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> status_{200};
  std::thread acceptor_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> connections_;
};

}  // namespace spacestore::testing
