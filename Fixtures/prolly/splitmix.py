"""SplitMix64 (SPEC.md 6.7), shared by the Python references in this folder."""
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed): self.state = seed
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)
    def bytes(self, n):
        out = b""
        while len(out) < n: out += self.next().to_bytes(8, "big")
        return out[:n]
    def below(self, n): return self.next() % n
    def pick(self, xs): return xs[self.below(len(xs))]
