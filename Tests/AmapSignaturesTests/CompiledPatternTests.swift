import AmapSignatures
import Foundation
import Testing

@Suite struct CompiledPatternTests {
    @Test func capturesGroupsAsByteRanges() throws {
        let pattern = try CompiledPattern(#"^SSH-([\d.]+)-OpenSSH_([\w._-]+)"#)
        let subject = Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".utf8)
        guard case .matched(let match) = pattern.firstMatch(in: subject) else {
            Issue.record("expected a match")
            return
        }
        #expect(match.capture(1, in: subject) == Array("2.0".utf8))
        #expect(match.capture(2, in: subject) == Array("9.2p1".utf8))
        #expect(match.capture(3, in: subject) == nil)
    }

    @Test func bytesAreNotUTF8() throws {
        // \xff is the byte 0xff in non-UTF mode; \w is ASCII only.
        let pattern = try CompiledPattern(#"^\x00\xff(\w+)"#)
        #expect(pattern.matches([0x00, 0xFF, 0x41, 0x42]))
        #expect(!pattern.matches([0x00, 0xFF, 0xE9]))
    }

    @Test func flagsFollowNmapAndAmap() throws {
        let plain = try CompiledPattern("^hello.world$")
        #expect(!plain.matches(Array("HELLO world".utf8)))
        #expect(!plain.matches(Array("x\nhello world".utf8)))
        let amap = try CompiledPattern("^hello.world$", options: .amap)
        #expect(amap.matches(Array("x\nHELLO\nworld\n".utf8)))
    }

    @Test func catastrophicBacktrackingIsBounded() throws {
        let pattern = try CompiledPattern("^(a+)+$")
        var subject = [UInt8](repeating: UInt8(ascii: "a"), count: 30_000)
        subject.append(UInt8(ascii: "!"))
        let start = ContinuousClock.now
        let outcome = pattern.firstMatch(in: subject)
        let elapsed = ContinuousClock.now - start
        // The bound is PCRE2's match limit (a count of steps, the same on any machine): hitting it is the proof that
        // the work stopped. The time is printed, not asserted, since it depends on the machine's load.
        #expect(outcome == .limitExceeded)
        print("catastrophic backtracking stopped at the match limit after \(elapsed)")
    }

    @Test func emptyMatchingPatternsAreRejectedOnRequest() throws {
        #expect(throws: RegexError.matchesEmptyString) {
            try CompiledPattern("^(foo)?", rejectEmptyMatch: true)
        }
        _ = try CompiledPattern("^(foo)?")
        _ = try CompiledPattern("^foo", rejectEmptyMatch: true)
    }

    @Test func compileErrorsCarryTheOffset() {
        do {
            _ = try CompiledPattern("abc(def")
            Issue.record("expected a compile error")
        } catch {
            guard case .compileFailed(_, let offset) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(offset == 7)
        }
    }
}
