"""The deterministic generator behind the graph benchmark inputs (graph-apply-input.py,
open-cost.sh): SplitMix64, as the Swift benchmarks use, and UUIDv7-shaped ids."""


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
