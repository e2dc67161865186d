// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-amap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "amap", targets: ["amap"]),
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
        // Pure, I/O-free: the model, the loaders, PCRE2 matching and version templates.
        .target(
            name: "AmapSignatures",
            resources: [.copy("Resources")]
        ),
        // Pure: target and port specifications, importers, sharding.
        .target(name: "AmapTargets", dependencies: ["AmapSignatures"]),
        // SwiftNIO: connections, TLS, UDP, the probe scheduler.
        .target(
            name: "AmapEngine",
            dependencies: [
                "AmapSignatures",
                "AmapTargets",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // Formatters: amap human and -m lines, JSON Lines, XML, grepable.
        .target(name: "AmapReport", dependencies: ["AmapSignatures", "AmapTargets"]),
        // The library API: scanner, database choice, target resolution and sharded order, shared with the CLI.
        .target(name: "AmapKit", dependencies: ["AmapSignatures", "AmapTargets", "AmapEngine"]),
        // The thin command line.
        .executableTarget(
            name: "amap",
            dependencies: [
                "AmapSignatures",
                "AmapTargets",
                "AmapEngine",
                "AmapReport",
                "AmapKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AmapSignaturesTests",
            dependencies: ["AmapSignatures"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AmapTargetsTests",
            dependencies: ["AmapTargets"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AmapEngineTests",
            dependencies: [
                "AmapEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "AmapReportTests", dependencies: ["AmapReport"]),
        .testTarget(name: "AmapEndToEndTests", dependencies: ["AmapSignatures"]),
        .testTarget(name: "AmapKitTests", dependencies: ["AmapKit"]),
        .testTarget(
            name: "AmapHostileTests",
            dependencies: [
                "AmapEngine",
                "AmapReport",
                "AmapSignatures",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // A runnable example of the library API.
        .executableTarget(
            name: "ScanExample", dependencies: ["AmapKit"], path: "Examples/ScanExample", exclude: ["README.md"]),
    ],
    swiftLanguageModes: [.v6]
)
