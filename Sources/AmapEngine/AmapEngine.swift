// The SwiftNIO engine lives in this module.
