"""Policy rules as pure functions over tables. No Pyomo, no Mesa here: both call these."""
