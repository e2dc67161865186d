import AmapKit
import Testing
@testable import amap

/// The options become an `AmapScanner`'s settings: the library's defaults where no option was given, so the
/// command and the library cannot drift apart.
@Suite struct ScanSettingsTests {
    private func configuration(_ arguments: [String]) throws -> ScanConfiguration {
        try ScanRunner(options: CommandParsingTests.scanOptions(arguments)).configuration()
    }

    @Test func withoutOptionsTheScanUsesTheLibrarysDefaults() throws {
        #expect(try configuration(["127.0.0.1", "22"]) == ScanConfiguration())
    }

    @Test func eachOptionChangesWhatItNames() throws {
        let given = try configuration([
            "-t", "2", "-T", "3", "-C", "2", "-c", "7", "--timing", "fixed", "--rate", "50", "--max-per-host", "4",
            "--host-timeout", "1.5", "-6", "127.0.0.1", "22",
        ])
        var expected = ScanConfiguration(window: 7, preferIPv6: true, timing: .fixed)
        expected.responseTimeoutMilliseconds = 2_000
        expected.bannerWaitMilliseconds = 2_000
        expected.connectTimeoutMilliseconds = 3_000
        expected.connectAttempts = 2
        expected.connectionsPerSecond = 50
        expected.maxEndpointsPerHost = 4
        expected.hostTimeoutMilliseconds = 1_500
        // -c is amap's cap on connections in total (issue 12), not only the window.
        expected.connectionLimit = 7
        #expect(given == expected)
        #expect(try configuration(["-R", "127.0.0.1", "22"]).rpcPass == false)
        #expect(try configuration(["127.0.0.1", "22"]).rpcPass == true)
        #expect(given.perPortParallelism == 1, "fixed timing probes one at a time unless --parallel-probes says")
        #expect(try configuration(["--timing", "lan", "--parallel-probes", "3", "127.0.0.1", "22"])
            .perPortParallelism == 3)
    }

    @Test func starttlsTurnsOnTheUpgradeAndNothingElse() throws {
        var expected = ScanConfiguration()
        expected.startTLS = true
        #expect(try configuration(["--starttls", "127.0.0.1", "25"]) == expected)
        #expect(try configuration(["127.0.0.1", "25"]).startTLS == false)
    }

    @Test func bannerAndPortScanModesStopAtTheFirstAnswerWithoutTLS() throws {
        for (flag, mode) in [("-B", ScanMode.banner), ("-P", .portScan)] {
            let scanner = AmapScanner(
                database: SignatureDatabase(), configuration: try configuration([flag, "127.0.0.1", "22"]))
            #expect(scanner.configuration.mode == mode)
            #expect(scanner.configuration.stopAtFirstIdentification && !scanner.configuration.tlsPass)
        }
        #expect(!(try configuration(["-S", "127.0.0.1", "22"]).tlsPass))
    }

    @Test func amapsFilesAloneReportEveryMatchUnlessStoppingAtTheFirst() throws {
        let amapOnly = try CommandParsingTests.scanOptions(["-D", "x", "127.0.0.1", "22"])
        let choice = DatabaseSelection(options: amapOnly).choice
        #expect(choice.applying(to: try configuration(["-D", "x", "127.0.0.1", "22"])).reportAllMatches)
        let first = try CommandParsingTests.scanOptions(["-1", "-D", "x", "127.0.0.1", "22"])
        let applied = DatabaseSelection(options: first).choice.applying(to: try ScanRunner(options: first).configuration())
        #expect(!applied.normalized.reportAllMatches)
        let builtin = try CommandParsingTests.scanOptions(["127.0.0.1", "22"])
        #expect(!DatabaseSelection(options: builtin).choice.applying(to: ScanConfiguration()).reportAllMatches)
    }

    @Test func learnUsesTheLearnersLimitsUnlessOptionsChangeThem() throws {
        let plain = try #require(try AmapCommand.command(for: ["learn", "127.0.0.1", "1"]) as? LearnCommand)
        #expect(plain.limits == ServiceLearner.Limits())
        let given = try #require(
            try AmapCommand.command(for: ["learn", "-w", "50", "-N", "0", "--max-time", "9", "127.0.0.1", "1"])
                as? LearnCommand)
        #expect(given.limits == ServiceLearner.Limits(
            waitMilliseconds: 50, pauseMilliseconds: 0, maximumDuration: .seconds(9)))
    }
}
