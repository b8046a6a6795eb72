#!/usr/bin/env python3
"""Zero the CUDA fatbin payloads of a shared library that are not for the kept sm.

Usage: ort_fatbin_strip.py IN.so OUT.so [--keep-sm 90] [--section .nv_fatbin]

The output has the same size and ELF layout as the input: only the bytes of the
ELF (cubin) payloads inside the .nv_fatbin section whose sm is not kept are set
to zero; every container header, entry header and size is left as it is.  The
zeroed file compresses far better, and a GPU of the kept sm loads its cubins
unchanged.

Layout checked (and required) while walking:
  container header (16 bytes): magic u32 0xBA55ED50, version u16, header size u16,
                               payload size u64
  entry header (header size bytes, >= 32): kind u16 (1 PTX, 2 ELF), version u16,
                               header size u32, payload size u64 (at offset 8;
                               the upper half must be 0 for a u32 reading to agree),
                               sm u32 at offset 28
Every container's entries must tile its payload exactly, and the containers must
tile the section (with only zero padding between them to 8-byte alignment).
"""
import argparse
import collections
import mmap
import shutil
import struct
import sys

FATBIN_MAGIC = 0xBA55ED50
KIND_NAMES = {1: "PTX", 2: "ELF"}


class LayoutError(Exception):
    pass


def find_section(mm, name):
    """Return (file offset, size) of the named section, by the ELF64 section headers."""
    if mm[:4] != b"\x7fELF":
        raise LayoutError("not an ELF file")
    if mm[4] != 2 or mm[5] != 1:
        raise LayoutError("only little-endian ELF64 is supported")
    e_shoff, = struct.unpack_from("<Q", mm, 0x28)
    e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", mm, 0x3A)
    if e_shentsize != 64 or e_shoff == 0:
        raise LayoutError(f"unexpected section header table (shoff={e_shoff}, shentsize={e_shentsize})")
    if e_shnum == 0:  # more than 0xff00 sections: count is in section 0's sh_size
        e_shnum, = struct.unpack_from("<Q", mm, e_shoff + 0x20)
    if e_shstrndx == 0xFFFF:
        e_shstrndx, = struct.unpack_from("<I", mm, e_shoff + 0x28)

    def shdr(i):
        # name, type, flags, addr, offset, size
        return struct.unpack_from("<IIQQQQ", mm, e_shoff + i * 64)

    str_off, str_size = shdr(e_shstrndx)[4], shdr(e_shstrndx)[5]
    want = name.encode()
    for i in range(e_shnum):
        sh_name, sh_type, _, _, sh_offset, sh_size = shdr(i)
        end = mm.find(b"\0", str_off + sh_name, str_off + str_size)
        if mm[str_off + sh_name:end] == want:
            if sh_type == 8:  # SHT_NOBITS
                raise LayoutError(f"section {name} has no bytes in the file")
            if sh_offset + sh_size > len(mm):
                raise LayoutError(f"section {name} runs past the end of the file")
            return sh_offset, sh_size
    raise LayoutError(f"no section {name}")


def walk(mm, sec_off, sec_size, keep_sm, zero):
    """Walk every container and entry; zero non-kept ELF payloads if zero is True."""
    stats = collections.Counter()      # (kind, sm) -> entries
    zeroed = collections.Counter()     # sm -> entries zeroed
    zeroed_bytes = 0
    kept_bytes = 0
    containers = 0
    pos, end = sec_off, sec_off + sec_size
    while pos < end:
        if end - pos < 16:
            if any(mm[pos:end]):
                raise LayoutError(f"{end - pos} trailing non-zero bytes at 0x{pos:x}")
            break
        magic, = struct.unpack_from("<I", mm, pos)
        if magic != FATBIN_MAGIC:
            # allow zero padding up to the next 8-byte boundary only
            pad_end = (pos + 8) & ~7
            if magic == 0 and not any(mm[pos:pad_end]) and pad_end > pos:
                pos = pad_end
                continue
            if not any(mm[pos:end]):
                break  # zero tail
            raise LayoutError(f"bad container magic 0x{magic:08x} at file offset 0x{pos:x} "
                              f"(section offset 0x{pos - sec_off:x})")
        version, hsize, psize = struct.unpack_from("<HHQ", mm, pos + 4)
        if hsize < 16:
            raise LayoutError(f"container at 0x{pos:x}: header size {hsize} < 16")
        cstart, cend = pos + hsize, pos + hsize + psize
        if cend > end:
            raise LayoutError(f"container at 0x{pos:x} (payload {psize}) runs past the section end")
        e = cstart
        has_keep = has_elf = False
        while e < cend:
            if cend - e < 32:
                raise LayoutError(f"container at 0x{pos:x}: {cend - e} bytes left, too few for an entry header at 0x{e:x}")
            kind, ever, ehsize, epsize = struct.unpack_from("<HHIQ", mm, e)
            sm, = struct.unpack_from("<I", mm, e + 28)
            if kind not in KIND_NAMES:
                raise LayoutError(f"entry at 0x{e:x}: unknown kind {kind}")
            if ehsize < 32 or ehsize > 4096:
                raise LayoutError(f"entry at 0x{e:x}: implausible header size {ehsize}")
            if epsize >> 32:
                raise LayoutError(f"entry at 0x{e:x}: payload size {epsize} has a non-zero upper half")
            pstart, pend = e + ehsize, e + ehsize + epsize
            if pend > cend:
                raise LayoutError(f"entry at 0x{e:x} (header {ehsize}, payload {epsize}) overruns its container "
                                  f"ending at 0x{cend:x}")
            stats[(KIND_NAMES[kind], sm)] += 1
            has_elf |= kind == 2
            has_keep |= kind == 1 or sm == keep_sm
            if kind == 2 and sm != keep_sm:
                zeroed[sm] += 1
                zeroed_bytes += epsize
                if zero:
                    mm[pstart:pend] = bytes(epsize)
            else:
                kept_bytes += epsize
            e = pend
        if e != cend:
            raise LayoutError(f"entries of container at 0x{pos:x} end at 0x{e:x}, not at 0x{cend:x}")
        if has_elf and not has_keep:
            raise LayoutError(f"container at 0x{pos:x} has no sm_{keep_sm} cubin and no PTX: "
                              f"its kernels would not load after zeroing")
        containers += 1
        pos = cend
    return containers, stats, zeroed, zeroed_bytes, kept_bytes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--keep-sm", type=int, default=90)
    ap.add_argument("--section", default=".nv_fatbin")
    a = ap.parse_args()

    # First pass read-only: validate everything before writing anything.
    with open(a.input, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        off, size = find_section(mm, a.section)
        containers, stats, zeroed, zb, kb = walk(mm, off, size, a.keep_sm, zero=False)
    if containers == 0:
        raise LayoutError(f"no fatbin container in {a.section}")
    if not any(k == "ELF" and sm == a.keep_sm for (k, sm) in stats):
        raise LayoutError(f"no ELF entry for sm_{a.keep_sm}: zeroing would leave no usable cubin")

    shutil.copyfile(a.input, a.output)
    with open(a.output, "r+b") as f, mmap.mmap(f.fileno(), 0) as mm:
        walk(mm, off, size, a.keep_sm, zero=True)
        mm.flush()

    print(f"{a.section}: file offset 0x{off:x}, {size} bytes, {containers} containers")
    for (kind, sm), n in sorted(stats.items()):
        z = zeroed.get(sm, 0) if kind == "ELF" else 0
        print(f"  {kind} sm_{sm}: {n} entries, {z} zeroed")
    print(f"  zeroed {sum(zeroed.values())} payloads, {zb} bytes; kept {kb} payload bytes")


if __name__ == "__main__":
    try:
        main()
    except LayoutError as ex:
        print(f"ort_fatbin_strip: layout check failed: {ex}", file=sys.stderr)
        sys.exit(2)
