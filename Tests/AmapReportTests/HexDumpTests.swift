import Testing

@testable import AmapReport

@Suite struct HexDumpTests {
    @Test func fullRowThenShortRowArePaddedToTheSameColumns() {
        let rows = HexDump.rows(Fixture.bytes("SSH-2.0-OpenSSH_9.2p1\r\n"))
        #expect(rows == [
            "0000:  5353 482d 322e 302d 4f70 656e 5353 485f    [ SSH-2.0-OpenSSH_ ]",
            "0010:  392e 3270 310d 0a                          [ 9.2p1..          ]",
        ])
    }

    @Test func controlAndHighBytesShowAsDots() {
        let rows = HexDump.rows([0x00, 0x1B] + Fixture.bytes("[31mred") + [0x7F, 0xFF])
        #expect(rows == ["0000:  001b 5b33 316d 7265 647f ff                [ ..[31mred..      ]"])
    }

    @Test func singleByteAndSeventeenBytes() {
        #expect(HexDump.rows([0x41]) == ["0000:  41                                         [ A                ]"])
        let rows = HexDump.rows(Fixture.bytes("ABCDEFGHIJKLMNOPQ"))
        #expect(rows == [
            "0000:  4142 4344 4546 4748 494a 4b4c 4d4e 4f50    [ ABCDEFGHIJKLMNOP ]",
            "0010:  51                                         [ Q                ]",
        ])
    }

    @Test func everyRowHasTheSameWidthAndOffsetsCount() {
        let bytes = (0..<1024).map { UInt8($0 % 256) }
        let rows = HexDump.rows(bytes)
        #expect(rows.count == 64)
        #expect(Set(rows.map(\.count)).count == 1)
        #expect(rows.last?.hasPrefix("03f0:  f0f1 f2f3") == true)
    }

    @Test func emptyInputHasNoRows() {
        #expect(HexDump.rows([]).isEmpty)
        #expect(HexDump.text([]) == "")
    }
}
