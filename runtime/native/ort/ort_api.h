// Typed calls through ORT's function table. Every failing call becomes an OrtFailure carrying ORT's
// status, so the callbacks below can hand it back to ORT unchanged.
#pragma once

#include <string>
#include <vector>

#include "ort_c_api.h"

namespace gf::ort {

class Api {
public:
    explicit Api(const OrtApi* api) : table_(reinterpret_cast<void* const*>(api)) {}

    template <typename Fn> Fn at(Slot s) const { return reinterpret_cast<Fn>(table_[s]); }

    OrtStatus* status(OrtErrorCode code, const std::string& message) const {
        return at<OrtStatus* (*)(OrtErrorCode, const char*)>(kCreateStatus)(code, message.c_str());
    }
    std::string message(const OrtStatus* s) const { return at<const char* (*)(const OrtStatus*)>(kGetErrorMessage)(s); }
    void release(OrtStatus* s) const {
        if (s != nullptr) at<void (*)(OrtStatus*)>(kReleaseStatus)(s);
    }

private:
    void* const* table_;
};

// An ORT call that failed: the status travels up to the callback that returns it to ORT.
struct OrtFailure {
    OrtStatus* status;
};

inline void check(OrtStatus* s) {
    if (s != nullptr) throw OrtFailure{s};
}

// Releases an ORT-owned object when the scope ends, whichever way it ends.
template <typename T> struct Owned {
    const Api& api;
    Slot release;
    T* p = nullptr;
    ~Owned() {
        if (p != nullptr) api.at<void (*)(T*)>(release)(p);
    }
};

} // namespace gf::ort
