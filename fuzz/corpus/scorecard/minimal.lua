return scorecard { id = "t", title = "x", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } } }
