#pragma once
/// `boxed<T>`: an optional T kept on the heap. Eight bytes where `std::optional<T>` would take
/// sizeof(T) + 8 in every owner, for values most owners never have (a task's lease and
/// reservation: most of a large project's tasks never had either). Same surface as
/// std::optional for what the read model uses; copies are deep.

#include <memory>
#include <optional>
#include <utility>

namespace tascade {

template <class T>
class boxed {
 public:
  using value_type = T;

  boxed() = default;
  boxed(std::nullopt_t) {}
  boxed(const T& v) : p_(std::make_unique<T>(v)) {}
  boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
  boxed(const boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& o) {
    if (this != &o)
      p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  boxed& operator=(boxed&&) noexcept = default;
  boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  boxed& operator=(const T& v) { return assign(v); }
  boxed& operator=(T&& v) { return assign(std::move(v)); }
  boxed& operator=(const std::optional<T>& v) {
    if (v)
      return assign(*v);
    p_.reset();
    return *this;
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() noexcept { p_.reset(); }

  bool has_value() const noexcept { return bool(p_); }
  explicit operator bool() const noexcept { return bool(p_); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() {
    if (!p_)
      throw std::bad_optional_access();
    return *p_;
  }
  const T& value() const {
    if (!p_)
      throw std::bad_optional_access();
    return *p_;
  }

 private:
  template <class V>
  boxed& assign(V&& v) {
    if (p_)
      *p_ = std::forward<V>(v);
    else
      p_ = std::make_unique<T>(std::forward<V>(v));
    return *this;
  }

  std::unique_ptr<T> p_;
};

}  // namespace tascade
