#include "tools/bench/cold_start.hpp"

#include "tools/bench/http_connection.hpp"
#include "tools/bench/server_launch.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace tascade::bench {

cold_start_figures measure_cold_start(const std::string& binary, const std::string& data,
                                      const std::string& log_file, const std::string& project) {
  using clock_type = std::chrono::steady_clock;
  auto start = clock_type::now();
  auto since = [&] { return std::chrono::duration<double>(clock_type::now() - start).count(); };
  cold_start_figures out;
  launched_server server(binary, data, log_file);
  out.to_listen = since();
  for (;;) {
    if (blocking_request("127.0.0.1", server.port(), "GET", "/health").status == 200)
      break;
    if (since() > 120)
      throw std::runtime_error("/health did not answer within 120 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  out.to_health = since();
  auto r = blocking_request("127.0.0.1", server.port(), "GET",
                            "/v1/tasks/ready?project_id=" + project + "&agent_id=bench");
  if (r.status != 200)
    throw std::runtime_error("first ready query: HTTP " + std::to_string(r.status) + " " + r.body);
  out.to_first_ready = since();
  return out;
}

}  // namespace tascade::bench
