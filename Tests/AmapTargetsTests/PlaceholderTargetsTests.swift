import Testing
@testable import AmapTargets

@Suite struct AmapTargetsModuleTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
