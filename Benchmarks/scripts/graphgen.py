"""The deterministic generator behind the graph benchmark inputs (graph-apply-input.py,
open-cost.sh, sync-clone.sh): SplitMix64, as the Swift benchmarks use, UUIDv7-shaped ids, and
the chunked Person graph (`python3 graphgen.py chunks <chunks> <nodes-per-chunk> <dir>`)."""


class SplitMix64:
    def __init__(self, seed=42):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)


def uid(ms, r):
    """A UUIDv7-shaped id from a millisecond time and 62 bits of r."""
    h = f"{ms:012x}7{r & 0xfff:03x}{0x8000 | ((r >> 12) & 0x3fff):04x}{(r >> 26) & 0xffffffffffff:012x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def person(i):
    """The id of Person node i of the chunked graph."""
    return uid(1_700_000_000_000 + i // 16, i)


def write_chunks(chunks, per, work):
    """`work/chunk-<c>.jsonl` for c < chunks: per Person nodes and 2 * per `knows` edges each
    (each node's edges go to random nodes of its chunk), as open-cost.sh and sync-clone.sh apply."""
    rand = SplitMix64(42).next
    for c in range(chunks):
        base = c * per
        nodes = [person(base + i) for i in range(per)]
        with open(f"{work}/chunk-{c}.jsonl", "w") as out:
            for i, node in enumerate(nodes):
                out.write(f'{{"op":"put-node","id":"{node}","label":"Person","props":{{"name":"user-{base + i}","age":{i % 100},"group":{i % 1000}}}}}\n')
            for i in range(2 * per):
                eid = uid(1_800_000_000_000 + (2 * base + i) // 16, 2 * base + i)
                out.write(f'{{"op":"put-edge","id":"{eid}","src":"{nodes[i // 2]}","label":"knows","dst":"{nodes[rand() % per]}"}}\n')


if __name__ == "__main__":
    import sys
    # python3 graphgen.py chunks <chunks> <nodes-per-chunk> <directory>
    if len(sys.argv) == 5 and sys.argv[1] == "chunks":
        write_chunks(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit("usage: graphgen.py chunks <chunks> <nodes-per-chunk> <directory>")
