import Testing
@testable import AmapReport

@Suite struct AmapReportModuleTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
