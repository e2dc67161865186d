// AmapKit is the one import a program needs to scan: the model and matching (AmapSignatures), target and port
// specifications (AmapTargets) and the engine (AmapEngine) come with it.
@_exported import AmapEngine
@_exported import AmapSignatures
@_exported import AmapTargets
