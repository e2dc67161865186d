// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-amap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "amap", targets: ["amap"]),
        .library(name: "AmapModel", targets: ["AmapModel"]),
        .library(name: "AmapSignatures", targets: ["AmapSignatures"]),
        .library(name: "AmapTargets", targets: ["AmapTargets"]),
        .library(name: "AmapEngine", targets: ["AmapEngine"]),
        .library(name: "AmapReport", targets: ["AmapReport"]),
        .library(name: "AmapKit", targets: ["AmapKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // The shared vocabulary, nothing else: endpoints, ports, results, scan events, identifications.
        .target(name: "AmapModel"),
        // Pure, I/O-free: probes and signatures, the loaders, PCRE2 matching and version templates.
        .target(
            name: "AmapSignatures",
            dependencies: ["AmapModel"],
            resources: [.copy("Resources")]
        ),
        // Pure: target and port specifications, importers, sharding.
        .target(name: "AmapTargets", dependencies: ["AmapModel"]),
        // SwiftNIO: connections, TLS, UDP, the probe scheduler.
        .target(
            name: "AmapEngine",
            dependencies: [
                "AmapModel",
                "AmapSignatures",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // Formatters: amap human and -m lines, JSON Lines, XML, grepable.
        .target(name: "AmapReport", dependencies: ["AmapModel"]),
        // The library API: scanner, database choice, target resolution and sharded order, shared with the CLI.
        // AmapReport comes with it so a program writes results in the documented forms, as the command does.
        .target(
            name: "AmapKit", dependencies: ["AmapModel", "AmapSignatures", "AmapTargets", "AmapEngine", "AmapReport"]),
        // The command line, a client of AmapKit: it never sets up the engine itself.
        .executableTarget(
            name: "amap",
            dependencies: [
                "AmapKit",
                "AmapReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets share: finding and running the built binary, the daemon table and its gate,
        // loopback servers, the JSON Lines schema checker, snapshots.
        .target(
            name: "AmapTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/AmapTestSupport"
        ),
        .testTarget(
            name: "AmapSignaturesTests",
            dependencies: ["AmapModel", "AmapSignatures"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AmapTargetsTests",
            dependencies: ["AmapModel", "AmapTargets"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AmapEngineTests",
            dependencies: [
                "AmapEngine",
                "AmapModel",
                "AmapSignatures",
                "AmapTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "AmapReportTests", dependencies: ["AmapModel", "AmapReport", "AmapTestSupport"]),
        .testTarget(name: "AmapEndToEndTests", dependencies: ["AmapTestSupport"]),
        .testTarget(name: "AmapKitTests", dependencies: ["AmapKit", "AmapTestSupport"]),
        // The command line in-process: parsing, validation, the options-to-scanner mapping, help snapshots.
        .testTarget(
            name: "AmapCommandTests",
            dependencies: [
                "amap",
                "AmapKit",
                "AmapTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "AmapHostileTests",
            dependencies: [
                "AmapEngine",
                "AmapKit",
                "AmapModel",
                "AmapReport",
                "AmapSignatures",
                "AmapTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // A runnable example of the library API.
        .executableTarget(
            name: "ScanExample", dependencies: ["AmapKit"], path: "Examples/ScanExample", exclude: ["README.md"]),
    ],
    swiftLanguageModes: [.v6]
)
