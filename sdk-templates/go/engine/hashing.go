package engine

// Vexil bucketing (core/hashing/bucket.ts and test/vectors/bucketing.json define it):
//
//	hash   = MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of salt + ":" + value
//	bucket = hash mod 100000
//
// A user is inside a p% rollout iff bucket < p*1000. A weighted split walks cumulative
// thresholds floor(cum_i*100000/total), the last pinned at 100000. Go strings are UTF-8 already
// (encoding/json turns lone surrogates into U+FFFD, as JavaScript's TextEncoder does).

import (
	"math"
	"math/bits"
)

// BucketSpace is the number of buckets: a p% rollout covers buckets [0, p*1000).
const BucketSpace = 100000

const (
	c1 = 0xcc9e2d51
	c2 = 0x1b873593
)

func mixK(k uint32) uint32 {
	k *= c1
	k = bits.RotateLeft32(k, 15)
	return k * c2
}

func mixH(h, k uint32) uint32 {
	h ^= mixK(k)
	h = bits.RotateLeft32(h, 13)
	return h*5 + 0xe6546b64
}

func finish(h, tail uint32, tailLen int, length uint32) uint32 {
	if tailLen > 0 {
		h ^= mixK(tail)
	}
	h ^= length
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// Murmur3 is MurmurHash3 x86 32-bit with seed 0 over data.
func Murmur3(data string) uint32 {
	return Salt{}.hash(data)
}

// Salt is a salt hashed ahead of time: the murmur3 state after the whole 4-byte blocks of
// salt + ":" and the 0–3 bytes left over, so each user costs only the hashing of their value.
type Salt struct {
	state    uint32
	carry    uint32
	carryLen int
	length   uint32
}

// NewSalt prepares salt + ":" for bucketing.
func NewSalt(salt string) Salt {
	return Salt{}.extend(salt + ":")
}

func (s Salt) extend(text string) Salt {
	h, carry, carryLen := s.state, s.carry, s.carryLen
	for i := 0; i < len(text); i++ {
		carry |= uint32(text[i]) << (8 * carryLen)
		carryLen++
		if carryLen == 4 {
			h = mixH(h, carry)
			carry, carryLen = 0, 0
		}
	}
	return Salt{state: h, carry: carry, carryLen: carryLen, length: s.length + uint32(len(text))}
}

// hash continues the salt's state over value and finishes it.
func (s Salt) hash(value string) uint32 {
	h, carry, carryLen := s.state, s.carry, s.carryLen
	i := 0
	for ; carryLen != 0 && carryLen < 4 && i < len(value); i++ {
		carry |= uint32(value[i]) << (8 * carryLen)
		carryLen++
	}
	if carryLen == 4 {
		h = mixH(h, carry)
		carry, carryLen = 0, 0
	}
	if carryLen == 0 {
		for ; i+4 <= len(value); i += 4 {
			h = mixH(h, uint32(value[i])|uint32(value[i+1])<<8|uint32(value[i+2])<<16|uint32(value[i+3])<<24)
		}
		for ; i < len(value); i++ {
			carry |= uint32(value[i]) << (8 * carryLen)
			carryLen++
		}
	}
	return finish(h, carry, carryLen, s.length+uint32(len(value)))
}

// Bucket is the bucket in [0, 100000) of value under this salt.
func (s Salt) Bucket(value string) int {
	return int(s.hash(value) % BucketSpace)
}

// Bucket is murmur3(salt + ":" + value) mod 100000.
func Bucket(salt, value string) int {
	return NewSalt(salt).Bucket(value)
}

// IsInsideRollout tells whether a bucket falls inside a rollout of percentage (0–100).
func IsInsideRollout(bucket int, percentage float64) bool {
	return float64(bucket) < percentage*1000
}

// SplitThresholds gives the upper bucket bound of each variant; ok is false when the weights
// cannot form a split (no positive total, or a weight that is negative or not finite).
func SplitThresholds(weights []float64) (thresholds []int, ok bool) {
	total := 0.0
	for _, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return nil, false
		}
		total += w
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, false
	}
	thresholds = make([]int, len(weights))
	cumulative := 0.0
	for i, w := range weights {
		cumulative += w
		thresholds[i] = int(math.Floor((cumulative * BucketSpace) / total))
	}
	thresholds[len(thresholds)-1] = BucketSpace
	return thresholds, true
}

// PickSplit is the index of the variant owning bucket.
func PickSplit(thresholds []int, bucket int) int {
	last := len(thresholds) - 1
	for i := 0; i < last; i++ {
		if bucket < thresholds[i] {
			return i
		}
	}
	return last
}
