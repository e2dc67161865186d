// AmapKit is the one import a program needs to scan: the vocabulary (AmapModel), probes, signatures and matching
// (AmapSignatures), target and port specifications (AmapTargets) and the engine (AmapEngine) come with it.
@_exported import AmapEngine
@_exported import AmapModel
@_exported import AmapSignatures
@_exported import AmapTargets
