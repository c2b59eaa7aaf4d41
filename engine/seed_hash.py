"""The constants of NumPy's ``SeedSequence`` hash, shared by :mod:`engine.seeding` (in
Python) and :mod:`engine.seeding_kernel` (compiled), which both follow its algorithm."""

from __future__ import annotations

MASK = 0xFFFFFFFF  # the hash works on 32-bit words
POOL_SIZE = 4  # SeedSequence's default pool of 32-bit words
INIT_A = 0x43B0D7E5  # mix_entropy's hash: start and multiplier of its constant
MULT_A = 0x931E8875
INIT_B = 0x8B51F9DD  # generate_state's hash: start and multiplier of its constant
MULT_B = 0x58F38DED
MIX_MULT_L = 0xCA01F9DD  # mix's two multipliers
MIX_MULT_R = 0x4973F715
XSHIFT = 16  # each hash folds its upper half into its lower
