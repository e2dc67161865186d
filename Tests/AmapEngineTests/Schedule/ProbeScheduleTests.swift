import AmapModel
import AmapSignatures
import AmapTestSupport
import Testing
@testable import AmapEngine

/// The per-port schedule driven by scripted events on a virtual clock: no sockets, no sleeping.
@Suite struct ProbeScheduleTests {
    private static let probes = (1...10).map { TestProbes.probe("P\($0)", "PROBE-\($0)\r\n") }
    private static let udpProbes = (1...6).map { TestProbes.probe("U\($0)", "U-\($0)", transport: .udp) }

    private func tcp(parallelism: Int = 3, probes: Int = 10) -> ScheduleDriver {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = parallelism
        return ScheduleDriver(settings, plan: [TestProbes.null] + Array(Self.probes.prefix(probes)))
    }

    private func udp(parallelism: Int = 3) -> ScheduleDriver {
        var settings = ProbeSchedule.Settings(transport: .udp)
        settings.parallelism = parallelism
        return ScheduleDriver(settings, plan: [TestProbes.null] + Self.udpProbes)
    }

    @Test func bannerFirstEndsOnTheNullProbeAlone() {
        var driver = tcp()
        #expect(driver.connects == [0])
        driver.connected(0)
        #expect(driver.sentNames == ["NULL"])
        driver.at(20)
        driver.answer("NULL", "SSH-2.0-OpenSSH\r\n", .final)
        #expect(driver.recordedNames == ["NULL"])
        #expect(driver.ending == .done)
        // No other connection was ever opened.
        #expect(driver.connects == [0])
    }

    @Test func clientFirstGetsTheFollowUpOnTheNullConnectionThenParallelProbes() {
        var driver = tcp(parallelism: 3)
        driver.connected(0)
        #expect(driver.attempt("NULL")?.wait == .adaptive)
        driver.at(500)
        driver.waitEnds("NULL")
        // P1 goes on the NULL probe's connection; P2 and P3 open their own (3 connections at most).
        #expect(driver.attempt("P1")?.connection == 0)
        #expect(driver.connects == [0, 1, 2])
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
        // The first round has the promised wait.
        #expect(["P1", "P2", "P3"].allSatisfy { driver.attempt($0)?.wait == .promised })
        driver.at(510)
        driver.answer("P2", "HTTP/1.1 200 OK\r\n", .final)
        // Held: P1 is earlier and not settled. Its connection stays open.
        #expect(driver.recorded.isEmpty)
        #expect(driver.open.contains(0))
        driver.at(5_500)
        driver.waitEnds("P1")
        #expect(driver.recordedNames == ["P2"])
        #expect(driver.ending == .done)
        #expect(driver.mostOpen <= 3)
    }

    @Test func afterABannerEveryProbeGetsAFreshConnection() {
        // nmap's rule: the NULL probe's connection is reused only when the banner wait ended with nothing; a
        // server that greets (here with a soft match) greets again on each fresh connection, and lines expect it.
        var driver = tcp(parallelism: 3)
        driver.connected(0)
        driver.answer("NULL", "+OK Dovecot (Debian) ready.\r\n", .matched)
        #expect(driver.recordedNames == ["NULL"])
        #expect(driver.closed == [0])
        driver.connectAll()
        #expect(driver.sent.dropFirst().allSatisfy { $0.connection != 0 })
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
    }

    @Test func slowGreeterIsCaughtByTheFollowUpProbesPromisedWait() {
        var driver = tcp(parallelism: 3)
        driver.connected(0)
        driver.at(500)
        driver.waitEnds("NULL")
        driver.connectAll()
        // The other probes of the first round see nothing; the NULL connection is still open.
        driver.at(5_400)
        driver.waitEnds("P2")
        driver.waitEnds("P3")
        #expect(!driver.closed.contains(0))
        // The banner comes 4.5 s after connect, within P1's wait (sent at 0.5 s, promised).
        driver.at(4_500)
        driver.answer("P1", "220 slow.example ESMTP\r\n", .final)
        #expect(driver.recordedNames == ["P1"])
        #expect(driver.ending == .done)
    }

    @Test func silentPortCostsThePromiseOnceThenAdaptiveRounds() {
        var driver = tcp(parallelism: 3)
        driver.connected(0)
        driver.waitEnds("NULL")
        var clock = 0
        var settled: Set<Int> = [0]
        while driver.ending == nil {
            driver.connectAll()
            let waiting = driver.sent.filter { !settled.contains($0.position) }
            #expect(!waiting.isEmpty)
            if waiting.isEmpty { break }
            clock += 100
            driver.at(clock)
            for attempt in waiting {
                settled.insert(attempt.position)
                driver.handle(.waitEnded(position: attempt.position))
            }
        }
        #expect(driver.ending == .done)
        #expect(driver.sentNames == ["NULL"] + Self.probes.map(\.name))
        // First round (P1-P3) promised; the port never spoke, so later rounds are adaptive.
        #expect(driver.sent.filter { $0.wait == .promised }.map(\.probe.name) == ["P1", "P2", "P3"])
        #expect(driver.recorded.isEmpty)
        #expect(driver.mostOpen <= 3)
    }

    /// Drives a TCP port that never speaks to its end: every probe's wait ends 100 ms after the last step.
    private func runSilent(_ driver: inout ScheduleDriver, openDuringFirstRound: inout Int) {
        driver.connected(0)
        driver.waitEnds("NULL")
        var clock = 0
        var settled: Set<Int> = [0]
        var firstRoundDone = false
        while driver.ending == nil {
            driver.connectAll()
            let waiting = driver.sent.filter { !settled.contains($0.position) }
            #expect(!waiting.isEmpty)
            if waiting.isEmpty { break }
            if !firstRoundDone { openDuringFirstRound = max(openDuringFirstRound, driver.open.count) }
            clock += 100
            driver.at(clock)
            for attempt in waiting {
                settled.insert(attempt.position)
                driver.handle(.waitEnded(position: attempt.position))
            }
            if waiting.contains(where: { $0.wait == .promised }) { firstRoundDone = true }
        }
    }

    @Test func silentPortWidensItsAdaptiveRoundsToTheOpenLimitAfterThePromisedRound() {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 3
        settings.openLimit = 9
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes + (11...20).map {
            TestProbes.probe("P\($0)", "PROBE-\($0)\r\n")
        })
        var firstRound = 0
        runSilent(&driver, openDuringFirstRound: &firstRound)
        #expect(driver.ending == .done)
        #expect(driver.sent.count == 21)
        // The promised round (P1-P3) keeps to `parallelism`: a one-at-a-time server is still busy with it.
        #expect(firstRound <= 3)
        #expect(driver.sent.filter { $0.wait == .promised }.map(\.probe.name) == ["P1", "P2", "P3"])
        // Then the port has said nothing: the adaptive rounds run `openLimit` wide (17 probes in 2 rounds, not 6).
        #expect(driver.mostOpen == 9)
    }

    @Test func silentPortWithOneProbeAtATimeNeverWidens() {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 1
        settings.openLimit = 3
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes)
        var firstRound = 0
        runSilent(&driver, openDuringFirstRound: &firstRound)
        #expect(driver.ending == .done)
        #expect(driver.sent.count == 11)
        #expect(driver.mostOpen == 1)
    }

    @Test func aWidenedRoundNarrowsAgainOnceThePortSpeaks() {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 2
        settings.openLimit = 6
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2"])
        driver.at(5_000)
        driver.waitEnds("P1")
        driver.waitEnds("P2")
        driver.connectAll()
        // Silent after the promised round: six adaptive probes at once.
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"])
        #expect(driver.open.count == 6)
        driver.at(5_100)
        driver.answer("P3", "?\r\n")
        driver.at(5_700)
        driver.fireDueTimers()
        for name in ["P4", "P5", "P6", "P7", "P8"] { driver.waitEnds(name) }
        driver.connectAll()
        // The port spoke: later probes get the promised wait, `parallelism` at a time again.
        #expect(driver.attempt("P9")?.wait == .promised)
        #expect(driver.attempt("P10")?.wait == .promised)
        #expect(driver.open.count <= 2)
    }

    @Test func aPortThatAnsweredGetsThePromisedWaitForLaterProbes() {
        var driver = tcp(parallelism: 2)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P2", "?\r\n")
        driver.at(600)
        driver.fireDueTimers()
        #expect(driver.recordedNames == ["P2"])
        driver.connectAll()
        // P3 comes after the port answered: promised.
        #expect(driver.attempt("P3")?.wait == .promised)
    }

    @Test func promisedProbesPastTheAdaptiveWaitListenWithoutHoldingASlot() {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 2
        settings.slotRelease = .milliseconds(300)
        settings.openLimit = 6
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2"])
        // The port answers P2 with something unknown: every later probe is promised.
        driver.answer("P2", "?")
        driver.at(300)
        driver.fireDueTimers()
        driver.connectAll()
        // P1 still listens (its promised wait is not over), but no longer holds a slot: two more go out.
        #expect(driver.open.contains(0))
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3", "P4"])
        #expect(driver.sent.suffix(2).allSatisfy { $0.wait == .promised })
        var clock = 300
        while driver.sent.count < 11, clock < 10_000 {
            clock += 300
            driver.at(clock)
            driver.fireDueTimers()
            driver.connectAll()
            #expect(driver.open.count <= 6)
        }
        // Nothing settled: the open limit stops new probes.
        #expect(driver.open.count == 6)
        #expect(driver.ending == nil)
    }

    @Test func answerNamingNothingEndsAfterTheGraceNotTheWait() {
        var driver = tcp(parallelism: 2)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.at(100)
        driver.answer("P2", "???")
        #expect(driver.timers[.grace(position: driver.position("P2")!)] == driver.origin + .milliseconds(600))
        driver.at(600)
        driver.fireDueTimers()
        #expect(driver.recordedNames == ["P2"])
        #expect(driver.closed == [driver.attempt("P2")!.connection])
    }

    @Test func answerAfterALaterProbesAnswerWinsInPlanOrder() {
        var driver = tcp(parallelism: 4)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.at(10)
        driver.answer("P3", "second-service", .final)
        driver.answer("P2", "partial")
        #expect(driver.recorded.isEmpty)
        // P1, first in plan order, answers last and names a service: that is the verdict.
        driver.at(300)
        driver.answer("P1", "first-service", .final)
        #expect(driver.recordedNames == ["P1"])
        #expect(driver.ending == .done)
    }

    @Test func laterFinalVerdictWaitsForAnEarlierAnswerThatNamesNothing() {
        var driver = tcp(parallelism: 4)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P3", "second-service", .final)
        driver.at(100)
        driver.answer("P1", "unknown")
        driver.waitEnds("P2")
        #expect(driver.recorded.isEmpty)
        // P1's grace ends: it is recorded, then P3's held verdict.
        driver.at(600)
        driver.fireDueTimers()
        #expect(driver.recordedNames == ["P1", "P3"])
        #expect(driver.ending == .done)
    }

    @Test func anotherAnswerDoesNotCloseAWaitingConnection() {
        var driver = tcp(parallelism: 3)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P2", "soft", .matched)
        #expect(driver.closed == [driver.attempt("P2")!.connection])
        #expect(driver.open.contains(0) && driver.open.contains(driver.attempt("P3")!.connection))
    }

    @Test func tcpWrappedWhenTheFirstConnectionClosesAtOnce() {
        var driver = tcp()
        driver.connected(0)
        driver.at(5)
        driver.peerCloses("NULL")
        #expect(driver.ending == .tcpWrapped)
    }

    @Test func lateCloseWithoutBytesIsNotTCPWrapped() {
        var driver = tcp()
        driver.connected(0)
        driver.at(2_500)
        driver.peerCloses("NULL")
        #expect(driver.ending == nil)
        #expect(driver.connects.count > 1)
    }

    @Test func softMatchNarrowsTheRestOfThePlan() {
        var driver = tcp(parallelism: 2)
        driver.replans["P1"] = [Self.probes[6]]
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P1", "+OK ready", .matched)
        driver.connectAll()
        driver.waitEnds("P2")
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P7"])
        driver.waitEnds("P7")
        #expect(driver.ending == .done)
    }

    @Test func crossProbeHintIsConfirmedByItsOwnProbeNextEvenOutsideThePlan() {
        // iperf3: P1's answer names nothing in its own chain, but the line of a probe outside the plan (too rare
        // for this port) names it; that probe goes next, before the rest of the plan, and its own chain decides.
        var driver = tcp(parallelism: 2)
        let owner = TestProbes.probe("Owner", "COOKIE")
        driver.confirms["P1"] = owner
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P1", "\t")
        driver.at(500)
        driver.fireDueTimers()
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "Owner"])
        driver.answer("Owner", "\t", .final)
        driver.waitEnds("P2")
        #expect(driver.recordedNames == ["P1", "Owner"])
        #expect(driver.ending == .done)
    }

    @Test func aConfirmationGoesOncePerPassAndNeverRepeatsAProbeAlreadySent() {
        var driver = tcp(parallelism: 2)
        driver.confirms["P1"] = Self.probes[2]
        driver.confirms["P3"] = Self.probes[2]
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P1", "?")
        driver.at(500)
        driver.fireDueTimers()
        driver.connectAll()
        driver.answer("P3", "?")
        driver.at(1_000)
        driver.fireDueTimers()
        driver.connectAll()
        #expect(driver.sentNames.filter { $0 == "P3" }.count == 1, "\(driver.sentNames)")
    }

    @Test func aProbeStarvedByOurOtherConnectionsGoesAgainAloneWhenAnotherAnswerPointsToIt() {
        // iperf3 serves one client and blocks on it: P1 (on the NULL connection) gets its cookie answer "\t",
        // which only P3's line names; P3, sent alongside, was queued behind P1 and heard nothing. P3 goes again
        // once every connection of ours is closed, and nothing else is sent until it is settled.
        var driver = tcp(parallelism: 3)
        driver.confirms["P1"] = Self.probes[2]
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
        driver.at(100)
        driver.answer("P1", "\t")
        driver.at(600)
        driver.fireDueTimers()
        #expect(driver.recordedNames == ["P1"])
        driver.connectAll()
        // P3 was already sent: the hint does not send it again while its first attempt may still hear something.
        #expect(driver.sentNames.filter { $0 == "P3" }.count == 1)
        driver.at(5_000)
        driver.waitEnds("P3")
        // Starved: it goes again, but not while P2 (or anything else of ours) is open.
        #expect(driver.sentNames.filter { $0 == "P3" }.count == 1)
        for attempt in driver.sent where attempt.probe.name != "P3" && driver.open.contains(attempt.connection) {
            driver.waitEnds(attempt.probe.name)
        }
        driver.connectAll()
        #expect(driver.sentNames.filter { $0 == "P3" }.count == 2)
        #expect(driver.open.count == 1)
        #expect(driver.attempt("P3")?.wait == .promised)
        let before = driver.sent.count
        driver.at(5_100)
        driver.fireDueTimers()
        driver.connectAll()
        #expect(driver.sent.count == before, "nothing goes alongside the lone probe")
        driver.answer("P3", "\t", .final)
        #expect(driver.recordedNames == ["P1", "P3"])
        #expect(driver.ending == .done)
    }

    /// With nmap's verdicts, 2 probes at a time: P1's answer "\t" is recorded and hints at `hinted`.
    private func nmapVerdictsHinting(_ hinted: Probe) -> ScheduleDriver {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 2
        settings.promotesCrossProbeHints = false
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes)
        driver.confirms["P1"] = hinted
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P1", "\t")
        driver.at(500)
        driver.fireDueTimers()
        driver.connectAll()
        return driver
    }

    @Test func withNmapVerdictsAHintNeverReordersThePlan() {
        // nmap's order is nmap's: a hint for a probe not yet sent does not move it forward.
        let driver = nmapVerdictsHinting(Self.probes[5])
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
    }

    @Test func withNmapVerdictsAHintedProbeGoesAloneWhenItsTurnComes() {
        var driver = nmapVerdictsHinting(Self.probes[3])
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
        driver.at(5_000)
        driver.waitEnds("P2")
        driver.connectAll()
        // P4's turn, but P3 is still open: P4 waits for it, then goes alone.
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3"])
        driver.waitEnds("P3")
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3", "P4"])
        #expect(driver.open.count == 1)
        driver.answer("P4", "\t", .final)
        #expect(driver.recordedNames == ["P1", "P4"])
        #expect(driver.ending == .done)
    }

    @Test func aHintedProbeThatHeardNothingAloneIsNotSentAgain() {
        var driver = tcp(parallelism: 3)
        driver.confirms["P1"] = Self.probes[1]
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        // P2 and P3 end before P1 answers; P2 was sent alongside others but the hint comes later: it goes again
        // once; its second, lone attempt hears nothing and is final.
        driver.at(5_000)
        driver.waitEnds("P2")
        driver.waitEnds("P3")
        driver.answer("P1", "\t")
        driver.at(5_500)
        driver.fireDueTimers()
        // P4 and P5 went meanwhile; P2 waits for them to end.
        driver.connectAll()
        #expect(driver.sentNames == ["NULL", "P1", "P2", "P3", "P4", "P5"])
        for attempt in driver.sent where driver.open.contains(attempt.connection) {
            driver.waitEnds(attempt.probe.name)
        }
        driver.connectAll()
        #expect(driver.sentNames.filter { $0 == "P2" }.count == 2)
        #expect(driver.open.count == 1)
        driver.at(10_500)
        driver.waitEnds("P2")
        driver.connectAll()
        #expect(driver.sentNames.filter { $0 == "P2" }.count == 2)
    }

    @Test func tlsInThePlainPassEndsItWithARecord() {
        var driver = tcp(parallelism: 2)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.handle(.received(position: driver.position("P2")!, bytes: [0x15, 0x03, 0x03, 0x00, 0x02, 2, 40],
                                verdict: .final))
        // Held until P1, earlier in plan order, is settled.
        #expect(driver.recordedNames.isEmpty)
        driver.waitEnds("P1")
        #expect(driver.recordedNames == ["P2"])
        #expect(driver.ending == .done)
    }

    @Test func busyAnswerWhileOthersAreOpenIsRecordedAndTheProbeGoesAgainAlone() {
        // A server taking one client at a time: P2 and P3 get "BUSY" and a close while P1 holds it.
        var driver = tcp(parallelism: 3, probes: 4)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.answer("P2", "BUSY")
        driver.peerCloses("P2")
        driver.answer("P3", "BUSY")
        driver.peerCloses("P3")
        // Recorded all the same: an answer followed by a close is never dropped.
        #expect(driver.recordedNames == ["P2", "P3"])
        #expect(driver.schedule.throttled)
        // P1 answers something else: BUSY was a refusal; P2 and P3 go again, one at a time, after P1 is done.
        driver.answer("P1", "hello")
        #expect(driver.connects.count == 3)
        driver.at(600)
        driver.fireDueTimers()
        #expect(driver.open.isEmpty)
        driver.at(900)
        driver.fireDueTimers()
        driver.connectAll()
        var rounds = 0
        while driver.ending == nil, rounds < 20 {
            rounds += 1
            #expect(driver.open.count <= 1)
            guard let current = driver.sent.last, driver.open.contains(current.connection) else {
                driver.at(1_000 + rounds * 300)
                driver.fireDueTimers()
                driver.connectAll()
                continue
            }
            driver.handle(.waitEnded(position: current.position))
            driver.at(1_000 + rounds * 300)
            driver.fireDueTimers()
            driver.connectAll()
        }
        #expect(driver.ending == .done)
        #expect(driver.sentNames.filter { $0 == "P2" }.count == 2)
        #expect(driver.sentNames.filter { $0 == "P3" }.count == 2)
        #expect(driver.sentNames.contains("P4"))
    }

    @Test func refusedConnectWhileOthersAreOpenRetriesAlone() {
        var driver = tcp(parallelism: 3, probes: 3)
        driver.connected(0)
        driver.waitEnds("NULL")
        // P2's connection (the second) is refused while P1's and P3's are open.
        driver.connectionFails(1)
        #expect(driver.ending == nil)
        #expect(driver.schedule.throttled)
        driver.connectAll()
        driver.waitEnds("P1")
        driver.waitEnds("P3")
        #expect(driver.open.isEmpty)
        driver.at(300)
        driver.fireDueTimers()
        driver.connectAll()
        #expect(driver.sentNames.last == "P2")
        #expect(driver.open.count == 1)
    }

    @Test func refusedConnectWithNothingElseOpenStopsProbing() {
        var driver = tcp(parallelism: 1, probes: 3)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.answer("P1", "x")
        driver.at(500)
        driver.fireDueTimers()
        #expect(driver.connects == [0, 1])
        driver.connectionFails(1)
        #expect(driver.ending == .stopped(connection: 1))
    }

    @Test func firstConnectRefusedIsUnopened() {
        var driver = tcp()
        driver.handle(.failed(connection: 0, .refused))
        #expect(driver.ending == .unopened(connection: 0, .refused))
    }

    @Test func connectionsNeverExceedTheParallelism() {
        for parallelism in 1...5 {
            var driver = tcp(parallelism: parallelism)
            driver.connected(0)
            driver.waitEnds("NULL")
            var clock = 0
            var done: Set<Int> = [0]
            while driver.ending == nil, clock < 100_000 {
                driver.connectAll()
                clock += 50
                driver.at(clock)
                for attempt in driver.sent where !done.contains(attempt.position) {
                    done.insert(attempt.position)
                    driver.handle(.waitEnded(position: attempt.position))
                }
            }
            #expect(driver.mostOpen <= parallelism)
            #expect(driver.ending == .done)
        }
    }

    @Test func udpSendsARoundInParallelAndEndsAtTheFirstAnswerPlusGrace() {
        var driver = udp(parallelism: 3)
        // No NULL probe over UDP; three sockets at once, the first round promised.
        #expect(driver.sentNames == ["U1", "U2", "U3"])
        #expect(driver.sent.allSatisfy { $0.wait == .promised })
        driver.at(40)
        driver.answer("U2", "random-bytes")
        driver.at(540)
        driver.fireDueTimers()
        #expect(driver.recordedNames == ["U2"])
        // The next probe takes U2's socket slot at once; the port answered, so it gets the promised wait.
        #expect(driver.sentNames == ["U1", "U2", "U3", "U4"])
        #expect(driver.attempt("U4")?.wait == .promised)
    }

    @Test func udpRandomAnswersFinishInAFewGraces() {
        var driver = udp(parallelism: 3)
        var clock = 0
        while driver.ending == nil, clock < 10_000 {
            for attempt in driver.sent where !driver.recorded.contains(attempt.position) {
                driver.handle(.received(position: attempt.position, bytes: [UInt8(attempt.position), 7],
                                        verdict: .none))
            }
            clock += 500
            driver.at(clock)
            driver.fireDueTimers()
        }
        #expect(driver.ending == .done)
        #expect(driver.recorded.count == Self.udpProbes.count)
        // Two rounds of three, each ended by the grace after its answer.
        #expect(clock <= 1_500)
    }

    @Test func udpSilentProbesEndAtTheirWaitAndLaterRoundsAreAdaptive() {
        var driver = udp(parallelism: 3)
        for name in ["U1", "U2", "U3"] { driver.waitEnds(name) }
        #expect(driver.sentNames == ["U1", "U2", "U3", "U4", "U5", "U6"])
        #expect(driver.sent.suffix(3).allSatisfy { $0.wait == .adaptive })
        for name in ["U4", "U5", "U6"] { driver.waitEnds(name) }
        #expect(driver.ending == .done)
    }

    @Test func icmpUnreachableEndsTheUDPPort() {
        var driver = udp(parallelism: 3)
        driver.refused("U1")
        #expect(driver.ending == .unopened(connection: driver.attempt("U1")!.connection, .refused))
    }

    @Test func deadlineStopsNewProbes() {
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.parallelism = 2
        settings.deadline = ScheduleDriver.virtualOrigin + .milliseconds(1_000)
        var driver = ScheduleDriver(settings, plan: [TestProbes.null] + Self.probes)
        driver.connected(0)
        driver.waitEnds("NULL")
        driver.connectAll()
        driver.at(1_500)
        driver.waitEnds("P1")
        driver.waitEnds("P2")
        #expect(driver.ending == .done)
        #expect(driver.sentNames == ["NULL", "P1", "P2"])
    }
}
