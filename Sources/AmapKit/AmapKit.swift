// AmapKit is the one import a program needs to scan: the vocabulary (AmapModel), probes, signatures and matching
// (AmapSignatures), target and port specifications (AmapTargets), the engine (AmapEngine) and the report formats
// (AmapReport: `JSONLinesRecord.line(for:timestamp:)` writes a result as the documented JSON) come with it.
@_exported import AmapEngine
@_exported import AmapModel
@_exported import AmapReport
@_exported import AmapSignatures
@_exported import AmapTargets
