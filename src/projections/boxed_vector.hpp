#pragma once
/// `boxed_vector<T>`: a std::vector kept on the heap, allocated on the first element. Eight
/// bytes while empty instead of 24, for lists most owners never fill (a task's snapshots,
/// artifacts, attempts, gate links, drifted files, exclusive and shared paths: in a large
/// project most tasks have none of them). Reads as a `const std::vector<T>&` (an empty one
/// while unallocated), so code that only reads it keeps working; copies are deep.

#include <memory>
#include <utility>
#include <vector>

namespace tascade {

template <class T>
class boxed_vector {
 public:
  using value_type = T;
  using vector_type = std::vector<T>;
  using const_iterator = typename vector_type::const_iterator;
  using iterator = typename vector_type::iterator;

  boxed_vector() = default;
  boxed_vector(vector_type v) {
    if (!v.empty())
      p_ = std::make_unique<vector_type>(std::move(v));
  }
  boxed_vector(const boxed_vector& o) : boxed_vector(o.get()) {}
  boxed_vector(boxed_vector&&) noexcept = default;
  boxed_vector& operator=(const boxed_vector& o) {
    if (this != &o)
      *this = o.get();
    return *this;
  }
  boxed_vector& operator=(boxed_vector&&) noexcept = default;
  boxed_vector& operator=(vector_type v) {
    if (v.empty())
      p_.reset();
    else if (p_)
      *p_ = std::move(v);
    else
      p_ = std::make_unique<vector_type>(std::move(v));
    return *this;
  }

  /// The elements as a vector (an empty one while nothing is allocated).
  const vector_type& get() const { return p_ ? *p_ : empty_vector(); }
  operator const vector_type&() const { return get(); }

  bool empty() const { return !p_ || p_->empty(); }
  size_t size() const { return p_ ? p_->size() : 0; }
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  auto rbegin() const { return get().rbegin(); }
  auto rend() const { return get().rend(); }
  const T& operator[](size_t i) const { return (*p_)[i]; }
  const T& front() const { return p_->front(); }
  const T& back() const { return p_->back(); }

  iterator begin() { return vec().begin(); }
  iterator end() { return vec().end(); }
  T& operator[](size_t i) { return (*p_)[i]; }
  T& front() { return p_->front(); }
  T& back() { return p_->back(); }

  void push_back(const T& v) { vec().push_back(v); }
  void push_back(T&& v) { vec().push_back(std::move(v)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return vec().emplace_back(std::forward<Args>(args)...);
  }
  void reserve(size_t n) {
    if (n)
      vec().reserve(n);
  }
  void clear() { p_.reset(); }

  friend bool operator==(const boxed_vector& a, const boxed_vector& b) {
    return a.get() == b.get();
  }
  friend bool operator==(const boxed_vector& a, const vector_type& b) { return a.get() == b; }

 private:
  static const vector_type& empty_vector() {
    static const vector_type none;
    return none;
  }
  vector_type& vec() {
    if (!p_)
      p_ = std::make_unique<vector_type>();
    return *p_;
  }

  std::unique_ptr<vector_type> p_;
};

}  // namespace tascade
