// A node's attributes as read once, when ORT creates the kernel: every declared attribute has a value
// (the node's, or the declared default) except optional ones the node left out.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gf::ort {

struct AttrValue {
    double f = 0;
    int64_t i = 0;
    std::vector<int64_t> ints;
    std::string s;
};

class NodeAttrs {
public:
    void set(const std::string& name, AttrValue v) { values_[name] = std::move(v); }
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    float f(const char* name) const { return static_cast<float>(get(name).f); }
    int64_t i(const char* name) const { return get(name).i; }
    const std::vector<int64_t>& ints(const char* name) const { return get(name).ints; }
    const std::string& s(const char* name) const { return get(name).s; }

private:
    const AttrValue& get(const char* name) const {
        auto it = values_.find(name);
        // only reached for an undeclared name: a bug in this library, not in the model
        if (it == values_.end()) throw std::logic_error(std::string("attribute ") + name + " was not read");
        return it->second;
    }
    std::map<std::string, AttrValue> values_;
};

} // namespace gf::ort
