"""GB/T 50493-2019《石油化工可燃气体和有毒气体检测报警设计标准》5.5.2 setpoints (REGULATIONS-2 §B.4) [C2].

The standard gives upper bounds ("≤"); the rule answers with the bounds themselves, which is what a detector is
set to unless the enterprise chose lower values."""

from decimal import Decimal

BASIS = "GB/T 50493-2019 5.5.2"

#: Combustible gas: level 1 ≤ 25 %LEL, level 2 ≤ 50 %LEL.
COMBUSTIBLE_LEVEL_1_PERCENT_LEL = Decimal(25)
COMBUSTIBLE_LEVEL_2_PERCENT_LEL = Decimal(50)

#: Toxic gas: level 1 ≤ 100 % OEL, level 2 ≤ 200 % OEL (as fractions of the OEL).
TOXIC_LEVEL_1_OEL = Decimal(1)
TOXIC_LEVEL_2_OEL = Decimal(2)

#: Toxic gas whose detector range cannot reach 200 % OEL: level 1 ≤ 5 % IDLH, level 2 ≤ 10 % IDLH.
TOXIC_LEVEL_1_IDLH = Decimal("0.05")
TOXIC_LEVEL_2_IDLH = Decimal("0.10")

#: Oxygen: over-oxygen alarm at 23.5 %VOL, deficiency at 19.5 %VOL.
OXYGEN_HIGH_PERCENT_VOL = Decimal("23.5")
OXYGEN_LOW_PERCENT_VOL = Decimal("19.5")

UNIT_LEL = "%LEL"
UNIT_MG_M3 = "mg/m3"
UNIT_VOL = "%VOL"
