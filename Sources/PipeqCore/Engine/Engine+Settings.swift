extension Engine {
  /// `.currency`, `.rate`, `.probability`, `.rotting`: with no words, the current values;
  /// otherwise a journaled, undoable change (`none` returns to the default).
  func setting(_ kind: MetaCommand.Setting, words: [TextLiteral], span: Span, source: SourceText, text: String)
    throws(DiagnosticError) -> Outcome
  {
    let settings = database.table.settings
    guard let first = words.first else {
      return Outcome(result: .table(settingsTable(kind, settings)), warnings: [], notices: [])
    }
    let clearing = words.last!.text.lowercased() == "none"
    let key: String
    let value: String?
    let summary: String
    switch kind {
    case .currency:
      value = clearing ? nil : try currencyCode(first, source)
      key = Settings.currencyKey
      summary =
        value.map { "base currency set to \($0): reports convert with the rates set by .rate" }
        ?? "no base currency: reports total each currency apart"
    case .rate:
      guard words.count == 2 else {
        throw DiagnosticError(.error(".rate needs a currency and a rate, as in .rate USD 0.92", at: span, in: source))
      }
      let currency = try currencyCode(first, source)
      key = Settings.rateKey(currency)
      if clearing {
        value = nil
        summary = "no rate for \(currency)"
      } else {
        guard let rate = Double(words[1].text), rate > 0, rate.isFinite else {
          throw DiagnosticError(
            .error("a rate is a positive number: one \(currency) in the base currency", at: words[1].span, in: source))
        }
        value = String(rate)
        summary = "1 \(currency) = \(rate) \(settings.baseCurrency ?? "(base currency: set it with .currency)")"
      }
    case .probability, .rotting:
      // The same as `set stage STAGE probability|rotting VALUE`, for every pipeline.
      guard words.count == 2 else {
        let example = kind == .probability ? ".probability proposal 55%" : ".rotting proposal 14d"
        throw DiagnosticError(
          .error(".\(kind.rawValue) needs a stage and a value, as in \(example)", at: span, in: source))
      }
      let stage = Name(first.text, first.span)
      let value = Name(words[1].text, words[1].span)
      return try shape(
        .setStage(stage, kind == .probability ? .probability(value) : .rotting(value), pipeline: nil), source: source,
        span: span, text: text)
    }
    let before = database.table.definitions[key]
    var mutation = Mutation(statement: text, today: options.today)
    mutation.definitionEdits = before == value ? [] : [.init(name: key, before: before, after: value)]
    if !mutation.definitionEdits.isEmpty { _ = try write([mutation], asking: nil) }
    return Outcome(result: .message((options.dryRun ? "would set: " : "") + summary), warnings: [], notices: [])
  }

  private func currencyCode(_ word: TextLiteral, _ source: SourceText) throws(DiagnosticError) -> String {
    guard (2...8).contains(word.text.count), word.text.allSatisfy(\.isLetter) else {
      throw DiagnosticError(.error("a currency is a code such as EUR or USD", at: word.span, in: source))
    }
    return word.text.uppercased()
  }

  private func settingsTable(_ kind: MetaCommand.Setting, _ settings: Settings) -> ResultTable {
    let catalog = database.table.pipelines
    switch kind {
    case .currency:
      return ResultTable(columns: ["base_currency"], rows: [[settings.baseCurrency.map(Value.text) ?? .empty]])
    case .rate:
      let rows = settings.rates.keys.sorted().map { currency -> [Value] in
        [.text(currency), .number(settings.rates[currency]!), settings.baseCurrency.map(Value.text) ?? .empty]
      }
      return ResultTable(columns: ["currency", "rate", "into"], rows: rows)
    case .probability, .rotting:
      var rows: [[Value]] = []
      for pipeline in catalog.pipelines where !pipeline.isRemoved {
        for stage in pipeline.stages {
          let info = catalog.stages[Int(stage)]
          let name = info.name
          let value: Value =
            kind == .probability
            ? .text(Settings.percent(settings.probability(of: stage, in: catalog)))
            : .integer(Int64(settings.rotting(of: stage, in: catalog)))
          let set =
            kind == .probability
            ? info.probability ?? settings.probabilities[name.folded]
            : (info.rottingDays ?? settings.rottingDays[name.folded]).map(Double.init)
          rows.append([.text(pipeline.name), .text(name), value, .text(set == nil ? "default" : "set")])
        }
      }
      return ResultTable(
        columns: ["pipeline", "stage", kind == .probability ? "probability" : "rotting_days", "source"], rows: rows)
    }
  }
}
