# The unit test's runner: `Rscript tests/testthat.R` from the project's folder.
library(testthat)
test_dir("tests/testthat", stop_on_failure = TRUE)
