import PipeqCore

/// The text of `.help` and `.help TOPIC`.
enum Help {
  static let topics: [String: String] = [
    "filters": """
    Filters (after where): tests joined by and, or, not, with parentheses.
    Precedence: not > and > or.  a or b and c  means  a or (b and c).
      stage = won         owner != bob       name ~ "renewal"   (contains, any case)
      value > 50k            value between 10k and 1.5m
      stage in (lead, contacted)                   source not in (event, webinar)
      lost_reason is empty   tags is not empty     tag = priority
      stage >= qualified     (by stage order within each pipeline)
    Empty values fail every test except the negated ones (!=, !~, not in,
    not between): a deal with no source matches  source != referral.

    """,
    "dates": """
    Dates compare by day; today is the --now / .now date.
      created >= 2026-01-01          expected_close < today + 14d
      last_interaction > 90d         (the last interaction is more than 90 days ago)
      idle > 90d                     (the same, with the derived field idle)
      created between 2026-01-01 and 2026-03-31
    Durations: 90d, 2w, 6mo, 1q, 1y (months, quarters, years by the calendar).
    Periods, with in / not in:
      closed in last quarter       created in this month      created in last 90d
      closed in 2026-q3              created in 2026-10             closed in 2025
      created in between 2026-01-01 and today
    this / last week, month, quarter or year are whole calendar periods
    (weeks start on Monday).

    """,
    "actions": """
    Bulk actions need a where filter; each is all or nothing and on disk before it
    reports.
      close lost reason "no budget" where stage != won and last_interaction > 90d
      close won where id = 42
      move to proposal where stage = qualified and value > 20k
      set owner = carol, value = value * 1.1 where owner = bob and status = open
      tag priority where value > 100k          untag priority where status != open
      delete where pipeline = partners and status = lost
      add deal "Acme renewal" account "Acme Ltd" value 12k stage lead owner bob
    Run with --dry-run to see what would change without changing anything.

    """,
    "import": """
    .import deals.csv [dates mdy|dmy] [map "HEADER" = FIELD]
    A CRM's export as it is: HubSpot, Salesforce, Pipedrive, Zoho, Odoo, Bitrix24
    and spreadsheet headers are known; separator (, ; tab |) and encoding (UTF-8,
    UTF-16, Windows-1252) are sniffed; dates take one format per column (dates
    mdy|dmy settles 3/1); won/lost come from the stage or a Status/IsWon column; a
    won or lost row's close date is the day it closed; #N/A, N/A, - and null are
    empty; ids that are not numbers
    are kept as external_id; a probability column orders new stages.
    Deals already in the store (same id or external id) are updated, matching ones
    left alone, new ones added; a stage change enters the history on the file's day
    for it (Date entered, stage entered or modified column), else today; one undo
    takes it back.
    .export out.csv [raw] [where FILTER]
    .export changes since #12|2026-06-01 back.csv [raw]
    The deals pipeq's statements changed since then (imports are not changes),
    with their CRM ids and only the changed fields, under the column and stage
    names of the file they came from: the CRM's own import takes them back.
    Export cells that start like a spreadsheet formula (= + - @) get a leading '
    (raw keeps them); import drops it again. The store's own files are never
    written.
    Columns: id,name,account,contact,owner,pipeline,stage,value,currency,source,
    lost_reason,tags,created,stage_entered,expected_close,closed,last_interaction,
    external_id
    Common names work too (Deal Name, Amount, Company, Deal Owner, Close Date, …).
    A bad row stops the import with file:line; nothing is imported.

    """,
    "history": """
    Every change is recorded; any of them can be looked at or taken back.
      history                  the changes so far (history limit 50 for more)
      undo                     take back the last change, all of it
      undo 3                   the last three
      undo #12                 one change, if nothing later touched the same deals
      redo                     put back what the last undo took
      log deal 42              every change to deal 42: when, which statement,
                               old → new
      show 42                  deal 42 whole: every field, one per line, and its
                               latest changes
      show where owner = bob   the same for the first 10 deals a filter finds
    Run undo with --dry-run to see what it would restore.

    """,
    "stages": """
    Shape each pipeline to the team's real process: 7 to 10 stages, each a step a
    deal really takes; a separate pipeline per product, segment or country.
      pipelines                                  every pipeline, its stages in order
      create pipeline partners stages (intro, demo, negotiation, won, lost)
      rename pipeline partners to resellers      remove pipeline resellers (empty)
      add stage fridge after lost in sales       add stage demo before pilot
      rename stage negotiation to "contract sent" in partners
      move stage demo before intro in partners   (stage >= reads the new order)
      remove stage demo in partners into intro   (its deals move; without into,
                                                 refused)
      set stage fridge kind parked in sales      kinds: open, won, lost, parked
      set stage proposal probability 60% [in sales]
      set stage proposal rotting 14d
      move to partners/intro where id = 42             (into another pipeline)
      add deal "Acme renewal" account "Acme Ltd" value 12k stage lead in sales
      show 42
    A parked stage (the fridge, for prospects to revisit) is out of the open
    pipeline, the weighted pipeline and win rates; the board shows it after lost
    and health counts its deals on their own. Without in, a setting applies to
    every pipeline's stage of that name. Each change is in history and undo takes
    it back.

    """,
    "saved": """
    Save a filter or a statement under a name, use it like a keyword.
      define stale as status = open and idle > 90d
      list where stale and owner = bob
      define review as list name, value where owner = $1 order by value desc
      review bob
      defs                     the saved queries      undefine stale
    Scripts: pipeq weekly.pq --set owner=alice (use $owner inside),
    or .read weekly.pq here.

    """,
    "reports": """
    board [PIPELINE] [as of DATE]   the kanban board: count, total, largest deals
    health [PERIOD]                 revenue, win rate, cycle, pipeline, velocity;
                                    against the period before
    funnel [PIPELINE] [PERIOD] [strict]
                                    stage-to-stage conversion of the deals created
                                    in the period
    team [PERIOD]                   per owner: open, won, lost, win rate, abandoned
    stale [where …] [limit N]       deals idle past their stage's rotting limit
    trend value by month(closed)    a sparkline and bars per week, month, quarter
    count by stage as of 2026-06-01 the pipeline as it stood that day
    Each takes where FILTER; --format json gives the figures as one JSON object.
    Settings: .currency EUR  .rate USD 0.92  set stage proposal probability 55%
              set stage proposal rotting 14d
    count where status = open            count by stage
    sum value by owner where status = won
    avg value where stage = won          max value by pipeline
    median value where status = won      count by month(created)
    sum value by quarter(closed) where status = won and closed in this year
    list name, value where status = open order by value desc limit 10

    """,
  ]

  static func text(topic: String?) -> String {
    if let topic {
      if let body = topics[topic] { return body }
      let near = Suggestion.nearest(to: topic, in: topics.keys).map { " (did you mean '\($0)'?)" } ?? ""
      return "no help on '\(topic)'\(near); topics: \(topics.keys.sorted().joined(separator: ", "))\n"
    }
    return """
      Statements:
        list [FIELD, ...] [where FILTER] [order by FIELD [asc|desc], ...] [limit N]
        count [where FILTER] [by GROUP] [order by count|GROUP [desc]] [limit N]
        sum|avg|min|max|median FIELD [where FILTER] [by GROUP] [order by …] [limit N]
          GROUP: FIELD or month(DATE-FIELD);  order by sum desc limit 3: the top three
        close won|lost [reason TEXT] where FILTER
        move [to] STAGE where FILTER
        set FIELD = EXPR [, FIELD = EXPR ...] where FILTER
        tag NAME [, NAME ...] where FILTER      untag NAME [, NAME ...] where FILTER
        delete where FILTER
        add deal NAME [FIELD VALUE ...] [in PIPELINE]      show ID | show where FILTER
        explain STATEMENT       fields [deals]   (every field, its type and meaning)
        pipelines   create|rename|remove pipeline ...
        add|rename|move|remove|set stage ...   (.help stages)
        history   undo [N|#SEQ]   redo   log deal ID   (.help history)
        define NAME as ...   undefine NAME   defs   (.help saved)
        board  funnel  health  team  stale  trend   (.help reports)
        help [TOPIC]   exit   quit
      Commands:
        .import PATH   .export PATH [raw] [where FILTER]   .mode table|csv|json|line
        .export changes since #SEQ|DATE PATH   (what pipeq changed, for the CRM)
        .read SCRIPT   .output [PATH]   .export-defs PATH   .checkpoint
        .schema [deals]   (as fields)
        .currency CODE   .rate CODE RATE   .probability STAGE N%   .rotting STAGE Nd
        .rows N|all   (rows shown when the pager is off)
        .pager on|off   ($PAGER, else less -FRX)
        .now [DATE]    .timer on|off   .help [TOPIC]   .quit | .exit
      Topics: \(topics.keys.sorted().joined(separator: ", "))
        (.help filters)

      """
  }
}
