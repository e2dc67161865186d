// Output formatters live in this module.
