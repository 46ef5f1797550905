extension Engine {
  /// `define NAME as ...`: a saved filter or statement, checked now and kept in the store.
  func define(_ name: Name, body: String, bodySpan: Span, source: SourceText, text: String)
    throws(DiagnosticError) -> Outcome
  {
    let key = name.text.lowercased()
    let reserved =
      Keywords.statements.filter { !Keywords.reports.contains($0) } + Array(Keywords.clauseWords) + Field.allNames
      + ["tag", "as", "define", "all"]
    guard !reserved.contains(key) else {
      throw DiagnosticError(
        .error("'\(name.text)' is a keyword or a field and cannot name a saved query", at: name.span, in: source))
    }
    guard key.first?.isLetter == true, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw DiagnosticError(.error("a saved query's name is a word (letters, digits, _)", at: name.span, in: source))
    }
    // A statement when it starts like one; otherwise it must be a filter that checks.
    if SavedQueryKind(body: body) == .statement {
      guard !Keywords.reports.contains(key) else {
        throw DiagnosticError(
          .error(
            "'\(name.text)' is a report: a saved statement cannot take its name (a saved filter can)", at: name.span,
            in: source))
      }
      _ = try Parser.parse(source, span: bodySpan)
    } else {
      let filter = try Parser.parseFilter(source, span: bodySpan)
      var planner = Planner(table: database.table, today: options.today, source: source)
      planner.expanding = [key]
      _ = try planner.filterPlan(filter)
    }
    let before = database.table.definitions[key]
    var mutation = Mutation(statement: text, today: options.today)
    mutation.definitionEdits = before == body ? [] : [.init(name: key, before: before, after: body)]
    let verb = before == nil ? "defined" : before == body ? "unchanged:" : "redefined"
    let replaces = before != nil && before != body
    let report = ActionReport(
      action: replaces ? "redefine" : "define", changed: mutation.definitionEdits.count, unchanged: 0,
      dryRun: options.dryRun, wording: .init(preview: "would define \(key)", done: "\(verb) \(key)"),
      preview: ResultTable(
        columns: ["name", "was", "now"], rows: [[.text(key), before.map(Value.text) ?? .empty, .text(body)]]),
      asks: replaces)
    guard try write([mutation], asking: report) else { return Engine.declined }
    return Outcome(result: .action(report), warnings: [], notices: [])
  }

  func undefine(_ name: Name, source: SourceText, text: String) throws(DiagnosticError) -> Outcome {
    let key = name.text.lowercased()
    guard let before = database.table.definitions[key] else {
      let hint = Suggestion.nearest(to: key, in: database.table.savedQueries.keys).map { "did you mean '\($0)'?" }
      throw DiagnosticError(.error("there is no saved query '\(name.text)'", at: name.span, in: source, help: hint))
    }
    var mutation = Mutation(statement: text, today: options.today)
    mutation.definitionEdits = [.init(name: key, before: before, after: nil)]
    let report = ActionReport(
      action: "undefine", changed: 1, unchanged: 0, dryRun: options.dryRun,
      wording: .init(preview: "would remove \(key)", done: "removed \(key)"),
      preview: ResultTable(columns: [], rows: []))
    guard try write([mutation], asking: report) else { return Engine.declined }
    return Outcome(result: .action(report), warnings: [], notices: [])
  }

  func definitionsTable() -> ResultTable {
    let queries = database.table.savedQueries
    let rows = queries.keys.sorted().map { name -> [Value] in
      let query = queries[name]!
      return [.text(name), .text(query.kind.rawValue), .text(query.text)]
    }
    var table = ResultTable(columns: ["name", "kind", "definition"], rows: rows, rowNoun: "saved query")
    table.wrapping = ["definition"]
    return table
  }

  /// Runs a saved statement with its arguments as `$1`, `$2`, …
  func call(_ name: Name, arguments: [ValueExpr], source: SourceText, depth: Int) throws(DiagnosticError) -> Outcome {
    let key = name.text.lowercased()
    guard let query = database.table.savedQueries[key] else {
      let candidates = Keywords.statements + database.table.savedQueries.keys.sorted()
      let hint = Suggestion.nearest(to: name.text, in: candidates).map { "did you mean '\($0)'?" }
      throw DiagnosticError(.error("unknown statement '\(name.text)'", at: name.span, in: source, help: hint))
    }
    guard depth < 16 else {
      throw DiagnosticError(.error("saved query '\(key)' calls itself too deeply", at: name.span, in: source))
    }
    guard let statement = try query.statement() else {
      throw DiagnosticError(
        .error("'\(key)' is a saved filter: use it after where, as in list where \(key)", at: name.span, in: source))
    }
    let definition = query.source
    let needed = Engine.positionalParameters(definition)
    if arguments.count < needed {
      let given = arguments.isEmpty ? "none" : "\(arguments.count)"
      let placeholders = (1...needed).map { "VALUE\(needed == 1 ? "" : String($0))" }.joined(separator: " ")
      throw DiagnosticError(
        .error(
          "'\(key)' takes \(needed) \(needed == 1 ? "argument" : "arguments"), and was given \(given)", at: name.span,
          in: source, help: "\(key) \(placeholders)   (it runs: \(query.text))"))
    }
    var values: [String: ValueExpr] = [:]
    for (index, argument) in arguments.enumerated() { values[String(index + 1)] = argument.respanned(to: Span(0, 0)) }
    do throws(DiagnosticError) {
      let bound = try Parameters(values: values, source: definition).statement(statement)
      return try execute(bound, source: definition, span: Span(0, definition.bytes.count), depth: depth + 1)
    } catch {
      var diagnostic = error.diagnostic
      let (line, column) = source.location(of: name.span.start)
      diagnostic.message = "in saved query '\(key)' (run at \(source.name):\(line):\(column)): " + diagnostic.message
      throw DiagnosticError(diagnostic)
    }
  }

  /// The highest `$N` a saved statement uses: how many arguments it needs.
  static func positionalParameters(_ definition: SourceText) -> Int {
    guard let tokens = try? Lexer.tokens(definition) else { return 0 }
    return tokens.reduce(0) { highest, token in
      guard case .word(let text) = token.kind, text.hasPrefix("$"), let number = Int(text.dropFirst()) else {
        return highest
      }
      return max(highest, number)
    }
  }

  /// `.export-defs PATH`: every saved query as a `define` statement, for `.read`.
  func exportDefinitions(to path: String, span: Span, source: SourceText) throws(DiagnosticError) -> Outcome {
    let definitions = database.table.savedQueries
    let text =
      definitions.keys.sorted().map { "define \($0) as \(definitions[$0]!.text)\n" }.joined()
      + database.table.settings.commands.map { $0 + "\n" }.joined()
      + Engine.stageSettingStatements(database.table.pipelines).map { $0 + "\n" }.joined()
    if options.checking {
      try checkExportTarget(path, span: span, source: source)
      writtenWhileChecking.insert(resolvedPath(path))
    } else {
      try writeExport(path, Array(("# pipeq saved queries\n" + text).utf8), span: span, source: source)
    }
    return Outcome(
      result: .message("wrote \(definitions.count) saved \(definitions.count == 1 ? "query" : "queries") to \(path)"),
      warnings: [], notices: [])
  }

  /// The `set stage` statements that give every stage its own kind and settings again.
  static func stageSettingStatements(_ catalog: Pipelines) -> [String] {
    var lines: [String] = []
    for pipeline in catalog.livePipelineIDs {
      let where_ = " in " + Quoting.word(catalog.pipelines[Int(pipeline)].name)
      for id in catalog.pipelines[Int(pipeline)].stages {
        let stage = catalog.stages[Int(id)]
        let name = "set stage " + Quoting.word(stage.name)
        if stage.kind != Pipelines.status(named: stage.name) {
          lines.append(name + " kind \(stage.kind.rawValue)" + where_)
        }
        if let probability = stage.probability {
          lines.append(name + " probability \(Settings.percent(probability))" + where_)
        }
        if let days = stage.rottingDays { lines.append(name + " rotting \(days)d" + where_) }
      }
    }
    return lines
  }
}
