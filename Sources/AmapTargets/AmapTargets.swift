// Target and port specifications, importers and sharding live in this module.
