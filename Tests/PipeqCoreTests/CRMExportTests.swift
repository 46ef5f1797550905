import Foundation
import PipeqCore
import Testing

/// One fixture per CRM export format, written from each CRM's published export columns
/// and formats (encodings, separators, date styles as they ship), imported as it is.
@Suite struct CRMExportTests {
  struct Expected {
    var deals: Int
    var won: Int
    var lost: Int
    var open: Int
    var totalCents: Int64
    var owners: Set<String>
    /// Closed days of the won deals, in file order.
    var wonClosed: [String]
    var stagesInOrder: [String]? = nil
  }

  static func imported(_ text: String, bytes: [UInt8]? = nil, options: ImportOptions = ImportOptions()) throws -> (
    Database, [String]
  ) {
    let database = Database()
    let (mutation, report) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: bytes ?? Array(text.utf8), fileName: "export.csv", statement: ".import export.csv", options: options)
    try database.commit(mutation)
    return (database, report.notices)
  }

  static func text(_ table: DealTable, _ field: Field, _ row: Int) -> String {
    ValueFormatter.plain(table.value(field, at: row, today: Fixture.today))
  }

  static func check(_ database: Database, _ expected: Expected) {
    let table = database.table
    #expect(table.count == expected.deals)
    let statuses = (0..<table.count).map { table.value(.status, at: $0, today: Fixture.today) }
    #expect(statuses.filter { $0 == .text("won") }.count == expected.won)
    #expect(statuses.filter { $0 == .text("lost") }.count == expected.lost)
    #expect(statuses.filter { $0 == .text("open") }.count == expected.open)
    #expect(table.value.filter { $0 != DealTable.emptyMoney }.reduce(0, +) == expected.totalCents)
    let owners = Set((0..<table.count).map { Self.text(table, .owner, $0) }.filter { !$0.isEmpty })
    #expect(owners == expected.owners)
    let wonClosed = (0..<table.count).filter { statuses[$0] == .text("won") }.map {
      ValueFormatter.plain(table.value(.closed, at: $0, today: Fixture.today))
    }
    #expect(wonClosed == expected.wonClosed)
  }

  /// HubSpot's UI export (US locale): text deal ids, M/D/YYYY dates, "Sales Pipeline".
  @Test func hubSpot() throws {
    let (database, notices) = try Self.imported(
      """
      Deal ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal Owner,Closed Lost Reason,Associated Company,Last Activity Date
      DEAL-7f3a2c10-1,Acme renewal,Closed Won,Sales Pipeline,12500,3/1/2026,1/14/2026 09:20,Ana Silva,,Acme Inc,2/27/2026
      DEAL-7f3a2c10-2,Globex pilot,Closed Lost,Sales Pipeline,"4,000.00",2/13/2026,12/20/2025,Ben Carter,Went with competitor,Globex,2/10/2026
      DEAL-7f3a2c10-3,Initech seats,Contract Sent,Sales Pipeline,8000,6/30/2026,4/2/2026,Ana Silva,,Initech,6/1/2026
      DEAL-7f3a2c10-4,Hooli upsell,Appointment Scheduled,Sales Pipeline,,7/15/2026,5/20/2026,,,Hooli,
      """)
    Self.check(
      database,
      Expected(
        deals: 4, won: 1, lost: 1, open: 2, totalCents: 2_450_000, owners: ["Ana Silva", "Ben Carter"],
        wonClosed: ["2026-03-01"]))
    #expect(notices.contains { $0.contains("ids such as 'DEAL-7f3a2c10-1' are not whole numbers") })
    #expect(notices.contains("dates in 'Close Date' read as month/day/year"))
    #expect(database.table.pipelines.pipeline(named: "Sales Pipeline") != nil)
  }

  /// Salesforce Data Loader (API names): 006… ids, IsWon/IsClosed, CurrencyIsoCode and
  /// UTC date-times.
  @Test func salesforceDataLoader() throws {
    let (database, _) = try Self.imported(
      """
      Id,Name,AccountId,StageName,Amount,CloseDate,CreatedDate,OwnerId,LeadSource,Probability,IsWon,IsClosed,CurrencyIsoCode
      0065g00000AbCdEAA1,Edge install,0015g00000XyZaBAA1,Negotiation/Review,25000,2026-07-31,2026-03-02 15:15:00.000000 UTC,0055g000004KlMnAAC,Web,90,false,false,USD
      0065g00000AbCdFAA1,Burlington upgrade,0015g00000XyZaCAA1,Closed Won,"235,000",2026-05-15,2026-01-10 08:00:00.000000 UTC,0055g000004KlMnAAC,Partner,100,true,true,USD
      0065g00000AbCdGAA1,United Oil pilot,0015g00000XyZaDAA1,Proposal,120000,2026-04-30,2026-02-01 10:30:00.000000 UTC,0055g000004KlMoAAC,Phone,0,false,true,EUR
      """)
    Self.check(
      database,
      Expected(
        deals: 3, won: 1, lost: 1, open: 1, totalCents: 38_000_000,
        owners: ["0055g000004KlMnAAC", "0055g000004KlMoAAC"], wonClosed: ["2026-05-15"]))
    // IsClosed without IsWon is lost, whatever the stage's name.
    let lost = (0..<database.table.count).first {
      database.table.value(.status, at: $0, today: Fixture.today) == .text("lost")
    }!
    #expect(Self.text(database.table, .name, lost) == "United Oil pilot")
    #expect(Self.text(database.table, .currency, lost) == "EUR")
  }

  /// Pipedrive: `Deal - ` prefixes, a Status column (open/won/lost), Won time and Lost
  /// time filling each other's gaps.
  @Test func pipedrive() throws {
    let (database, notices) = try Self.imported(
      """
      Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Status,Deal - Owner,Deal - Organization,Deal - Expected close date,Deal - Won time,Deal - Lost time,Deal - Lost reason,Deal - Deal created
      101,Website redesign,5400,EUR,Negotiations Started,won,Mia Wong,Stark Ltd,2026-05-30,2026-05-28 14:02:11,,,2026-02-01 10:00:00
      102,SEO retainer,1200,EUR,Proposal Made,lost,Mia Wong,Wayne plc,2026-04-30,,2026-04-21 09:00:00,Price,2026-01-15 12:00:00
      103,Ads campaign,3000,EUR,Qualified,open,Leo Park,Umbrella,2026-08-01,,,,2026-05-02 16:45:00
      """)
    Self.check(
      database,
      Expected(
        deals: 3, won: 1, lost: 1, open: 1, totalCents: 960_000, owners: ["Mia Wong", "Leo Park"],
        wonClosed: ["2026-05-28"]))
    #expect(notices.contains { $0.contains("won or lost by their status column") })
    #expect(notices.contains { $0.contains("'Deal - Won time' and 'Deal - Lost time' both mean closed") })
  }

  /// Zoho Potentials: "$22,700.00", `15 Apr, 2021 00:02:00`, Closed Lost to Competition.
  @Test func zohoPotentials() throws {
    let (database, _) = try Self.imported(
      """
      Potential Name,Potential Owner,Account Name,Stage,Amount,Closing Date,Created Time,Lead Source
      Benton deal,Kris Marrier,Benton,Closed Won,"$22,700.00","15 Apr, 2026","12 Jan, 2026 00:02:00",Advertisement
      Chanay renewal,Kris Marrier,Chanay,Closed Lost to Competition,"$8,000.00","02 Mar, 2026","05 Jan, 2026 11:40:12",Cold Call
      Chemel pilot,Sage Wieser,Chemel,Needs Analysis,"$4,100.50","30 Jun, 2026","20 Feb, 2026 09:15:00",Web Download
      """)
    Self.check(
      database,
      Expected(
        deals: 3, won: 1, lost: 1, open: 1, totalCents: 3_480_050, owners: ["Kris Marrier", "Sage Wieser"],
        wonClosed: ["2026-04-15"]))
  }

  /// Odoo crm.lead: external ids, relational headers, planned_revenue, date_deadline,
  /// multi-line descriptions.
  @Test func odooLeads() throws {
    let (database, _) = try Self.imported(
      """
      id,name,partner_id/name,user_id/id,stage_id/id,planned_revenue,date_deadline,probability,description
      __export__.crm_lead_522,Office design,Deco Addict,base.user_admin,crm.stage_lead4,24000.00,2026-07-12,100.0,"First line
      second line"
      __export__.crm_lead_523,Quote for 12 tables,Gemini Furniture,base.user_demo,crm.stage_lead2,40000.00,2026-08-01,30.0,
      """)
    Self.check(
      database,
      Expected(
        deals: 2, won: 0, lost: 0, open: 2, totalCents: 6_400_000, owners: ["base.user_admin", "base.user_demo"],
        wonClosed: []))
  }

  /// Bitrix24: D-prefixed ids, WON/LOSE stage ids, dd.mm.yyyy, `;` and Windows-1252.
  @Test func bitrix24InWindows1252WithSemicolons() throws {
    let text = """
      deal_id;title;stage_id;opportunity;currency;assigned_by_id;closed_at;date_create
      D1001;Équipement bureau;WON;1 500,00;RUB;Ирина;14.06.2026 09:20;01.03.2026
      D1002;Formation;LOSE;300,50;RUB;Олег;20.05.2026 10:00;02.03.2026
      D1003;Licences;PREPARATION;2 000;RUB;Ирина;;05.04.2026
      """
    // Cyrillic is not in Windows-1252: this fixture's Latin-1 copy keeps the owners Latin.
    let latin = text.replacingOccurrences(of: "Ирина", with: "Irène").replacingOccurrences(of: "Олег", with: "Oleg")
    let bytes = latin.unicodeScalars.map { UInt8($0.value) }
    let (database, notices) = try Self.imported("", bytes: bytes)
    Self.check(
      database,
      Expected(
        deals: 3, won: 1, lost: 1, open: 1, totalCents: 380_050, owners: ["Irène", "Oleg"],
        wonClosed: ["2026-06-14"]))
    #expect(notices.contains { $0.hasPrefix("read as Windows-1252") })
    #expect(notices.contains("columns are separated by ';'"))
    #expect(Self.text(database.table, .name, 0) == "Équipement bureau")
  }

  /// A Spanish pipeline sheet saved by Excel: `;`, decimal commas, D/M/Y, etapa.
  @Test func spanishSheet() throws {
    let (database, _) = try Self.imported(
      """
      empresa;etapa;importe_eur;responsable;cierre_previsto
      Talleres Ruiz;Cerrado ganado;12.500,00;Lucía;28/02/2026
      Frutas Gil;Cerrado perdido;3.200,00;Marcos;15/03/2026
      Hotel Sol;Propuesta;8.000,00;Lucía;30/06/2026
      """)
    Self.check(
      database,
      Expected(
        deals: 3, won: 1, lost: 1, open: 1, totalCents: 2_370_000, owners: ["Lucía", "Marcos"],
        wonClosed: ["2026-02-28"]))
  }

  /// The "CRM sales opportunities" data set: sales_agent, deal_stage, engage_date,
  /// close_date, close_value.
  @Test func salesOpportunitiesDataSet() throws {
    let (database, _) = try Self.imported(
      """
      opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
      1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
      Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514
      EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Lost,2016-10-25,2017-03-07,0
      MV1LWRNH,Moses Frase,GTX Basic,Codehow,Engaging,2016-10-25,,
      """)
    Self.check(
      database,
      Expected(
        deals: 4, won: 2, lost: 1, open: 1, totalCents: 556_800, owners: ["Moses Frase", "Darcel Schlecht"],
        wonClosed: ["2017-03-01", "2017-03-11"]))
  }

  @Test func ambiguousDatesAreAnErrorThatSaysHowToSettleThem() throws {
    let file = "Deal Name,Deal Stage,Close Date\nA,lead,3/1/2026\nB,lead,4/2/2026\n"
    do {
      _ = try Self.imported(file)
      Issue.record("an ambiguous date column was guessed")
    } catch let error as DiagnosticError {
      #expect(error.diagnostic.message.contains("fit both month/day and day/month"))
      #expect(error.diagnostic.help?.contains("dates mdy") == true)
    }
    let (mdy, _) = try Self.imported(file, options: ImportOptions(dateOrder: .mdy))
    #expect(mdy.table.value(.expectedClose, at: 0, today: Fixture.today) == .date(Day(iso: "2026-03-01")!))
    let (dmy, _) = try Self.imported(file, options: ImportOptions(dateOrder: .dmy))
    #expect(dmy.table.value(.expectedClose, at: 0, today: Fixture.today) == .date(Day(iso: "2026-01-03")!))
  }

  @Test func aColumnPlacedByHand() throws {
    let (database, _) = try Self.imported(
      "Title,Stage,Rep Of Record\nA,lead,zed\n", options: ImportOptions(mappings: ["Rep Of Record": .owner]))
    #expect(Self.text(database.table, .owner, 0) == "zed")
  }

  @Test func nullMarkersAreEmpty() throws {
    let (database, _) = try Self.imported(
      "name,stage,value,created\nA,lead,#N/A,N/A\nB,lead,-,\\N\nC,lead,(blank),null\n")
    #expect(database.table.value.allSatisfy { $0 == DealTable.emptyMoney })
    #expect(database.table.count == 3)
  }

  @Test func dateFormatsAreReadPerColumn() throws {
    for (cell, order, iso) in [
      ("14.06.2026 09:20", DateColumn.Order.dmy, "2026-06-14"), ("15 Apr, 2021 00:02:00", .named, "2021-04-15"),
      ("Dec 31, 2024", .named, "2024-12-31"), ("31-Dec-2024", .named, "2024-12-31"), ("1/08/26", .dmy, "2026-08-01"),
      ("01-14-2020", .mdy, "2020-01-14"), ("2026/03/04", .ymd, "2026-03-04"), ("45291", .serial, "2023-12-31"),
      ("2023-09-26 15:15:00.000000 UTC", .ymd, "2023-09-26"), ("2026-03-01T10:00:00Z", .ymd, "2026-03-01"),
      ("15\u{00A0}APR\u{00A0}2021", .named, "2021-04-15"), ("31-DEC-24", .named, "2024-12-31"),
      ("1 März 2026", .named, nil), ("2026年1月5日", .ymd, "2026-01-05"),
    ] as [(String, DateColumn.Order, String?)] {
      #expect(DateColumn.day(cell, order)?.description == iso, "\(cell)")
    }
    #expect(throws: DateColumn.Problem.mixed("2026-01-02")) { try DateColumn.infer(["14.06.2026", "2026-01-02"]) }
    #expect(try DateColumn.infer(["01-14-2020", "02-01-2020"]) == .mdy)
  }
}

/// Pipelines and stages as an import of a CRM's export leaves them.
@Suite struct ImportedStageTests {
  static func stages(_ table: DealTable, _ pipeline: String) -> [String] {
    let catalog = table.pipelines
    guard let id = catalog.pipeline(named: pipeline) else { return [] }
    return catalog.pipelines[Int(id)].stages.map { catalog.stages[Int($0)].name }
  }

  @Test func knownStageOrdersWinOverFirstAppearance() throws {
    let (database, _) = try CRMExportTests.imported(
      """
      Opportunity Name,Stage,Amount
      A,Negotiation/Review,1
      B,Closed Won,2
      C,Prospecting,3
      D,Value Proposition,4
      E,Qualification,5
      """)
    #expect(
      Self.stages(database.table, "sales") == [
        "Prospecting", "Qualification", "Value Proposition", "Negotiation/Review", "won", "lost",
      ])
  }

  @Test func theBuiltInPipelineGivesWayToTheFilesOwn() throws {
    let (database, _) = try CRMExportTests.imported(
      "Deal Name,Deal Stage,Pipeline\nA,Closed Won,Sales Pipeline\nB,Contract Sent,Sales Pipeline\nC,Appointment Scheduled,Sales Pipeline\n"
    )
    #expect(database.table.pipelines.pipelines.map(\.name) == ["Sales Pipeline"])
    #expect(
      Self.stages(database.table, "Sales Pipeline") == ["Appointment Scheduled", "Contract Sent", "won", "lost"])
    // Board and funnel without a name show it; with its name quoted, too.
    #expect(Fixture.error("board", in: database) == "")
    #expect(Fixture.error("board \"Sales Pipeline\"", in: database) == "")
    #expect(Fixture.error("funnel 'sales pipeline'", in: database) == "")
  }

  @Test func noStageIsMadeUp() throws {
    let (database, _) = try CRMExportTests.imported("name,pipeline,stage\nA,renewals,won\nB,renewals,lost\n")
    #expect(Self.stages(database.table, "renewals") == ["won", "lost"])
    #expect(Fixture.error("move to lead where id = 1", in: database).contains("unknown stage 'lead'"))
  }

  @Test func aStoreWithDealsKeepsItsStagesAndIDs() throws {
    let database = Fixture.database()
    let before = database.table.pipelines
    let csv = "name,stage\nNew one,demo\n"
    let (mutation, _) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array(csv.utf8), fileName: "more.csv", statement: ".import more.csv")
    try database.commit(mutation)
    #expect(Self.stages(database.table, "sales").prefix(4) == ["lead", "contacted", "qualified", "demo"])
    for (index, stage) in before.stages.enumerated() {
      #expect(database.table.pipelines.stages[index].name == stage.name)
    }
    #expect(Fixture.ids(where: "stage = won", in: database) == [3])
  }
}

@Suite struct ImportRefusalTests {
  @Test func aDateInAnotherFormatSaysLineAndColumn() throws {
    do {
      _ = try CRMExportTests.imported("Deal Name;Deal Stage;Close Date\nA;lead;14.06.2026\nB;lead;2026-06-15\n")
      Issue.record("mixed dates were read")
    } catch let error as DiagnosticError {
      #expect(error.diagnostic.location == "export.csv:3, column 3")
      #expect(error.diagnostic.message.contains("'2026-06-15' in column 'Close Date'"))
    }
  }

  @Test func nullMarkersPastTheSampleAreEmptyToo() throws {
    var csv = "name,stage,value,created,closed\n"
    for index in 0..<2_100 { csv += "d\(index),lead,10,2026-01-01,\n" }
    csv += "late,lead,#N/A,N/A,\n"
    let (database, _) = try CRMExportTests.imported(csv)
    #expect(database.table.count == 2_101)
    #expect(database.table.value.last == DealTable.emptyMoney)
  }
}

@Suite struct ExternalIDTests {
  /// A HubSpot export, then next week's: its own ids are kept as external_id, and the
  /// second file updates the deals the first one added.
  @Test func nextWeeksExportUpdatesByTheCRMsIDs() throws {
    let week1 =
      "Deal ID,Deal Name,Deal Stage,Amount\nDEAL-a,Alpha,Appointment Scheduled,10\nDEAL-b,Beta,Contract Sent,20\n"
    let week2 =
      "Deal ID,Deal Name,Deal Stage,Amount\nDEAL-a,Alpha,Contract Sent,15\nDEAL-c,Gamma,Appointment Scheduled,5\n"
    let database = Database()
    for (file, expected) in [(week1, (2, 0)), (week2, (1, 1))] {
      let (mutation, report) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
        bytes: Array(file.utf8), fileName: "hubspot.csv", statement: ".import hubspot.csv")
      try database.commit(mutation)
      #expect((report.imported, report.updated) == expected)
    }
    #expect(database.table.count == 3)
    #expect(
      Fixture.ids(where: "external_id = 'DEAL-a' and stage = 'Contract Sent' and value = 15", in: database).count == 1)
    #expect(Fixture.ids(where: "external_id = 'DEAL-b'", in: database).count == 1)
    // `log` tells the id the CRM knows the deal by.
    let id = Fixture.ids(where: "external_id = 'DEAL-a'", in: database)[0]
    #expect(
      try Fixture.run("log deal \(id)", on: database).notices == ["deal \(id) is DEAL-a in its CRM (external_id)"])
  }
}
