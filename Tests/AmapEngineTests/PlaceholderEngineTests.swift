import Testing
@testable import AmapEngine

@Suite struct AmapEngineModuleTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
