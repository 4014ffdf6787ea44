using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using JoeCash.Scheduler.Domain;

namespace JoeCash.Scheduler.Customers;

/// <summary>
/// Reads the shop list as support teams export it from Excel with German settings: UTF-8 (with or
/// without BOM), ';' as separator, quoted fields, CRLF. Columns are found by their German header names.
/// Every bad row is reported with its line number; one bad row means nothing is imported. A column
/// the file does not have is "not given" (the stored value stays); an empty cell clears the value.
/// </summary>
public static class CustomerCsv
{
    private static readonly string[] Required = ["Kundennummer", "Firma", "Bundesland", "Ansprechpartner", "E-Mail"];

    private static readonly string[] Optional = ["Filiale", "Ort", "Telefon", "RustDesk-ID", "Sprache", "Supportvertrag", "Öffnungszeiten"];

    /// <summary>The shops in the file, or every problem found, each with its line number.</summary>
    public static (IReadOnlyList<CustomerInput> Customers, IReadOnlyList<string> Errors) Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var errors = new List<string>();
        var customers = new List<CustomerInput>();
        // Strict UTF-8: a file saved as Windows-1252 must be refused, not imported with broken umlauts.
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = ";",
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.None,
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            // Blank lines come through as empty records so the line count stays exact; they are skipped below.
            IgnoreBlankLines = false,
        };

        try
        {
            using var csv = new CsvReader(reader, configuration);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                return ([], [$"{source}: the file is empty; expected a header line with {string.Join(";", Required)}."]);
            }

            var header = csv.HeaderRecord.Select(h => h.Trim()).ToArray();
            var duplicate = header
                .Select((name, index) => (name, index))
                .Where(h => h.name.Length > 0)
                .GroupBy(h => h.name, StringComparer.OrdinalIgnoreCase)
                .FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                // Which of the two would win is a guess; refusing is the only answer that loses nothing.
                var positions = duplicate.Select(h => h.index + 1).ToArray();
                return ([], [$"{source}, line 1: column {duplicate.Key} appears twice (columns {positions[0]} and {positions[1]}); remove one of them."]);
            }

            var missing = Required.Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (missing.Length > 0)
            {
                return ([], [$"{source}, line 1: missing column(s) {string.Join(", ", missing)}; the header has {string.Join(", ", header)}."]);
            }

            var unknown = header.Where(h => h.Length > 0 && !Required.Concat(Optional).Contains(h, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (unknown.Length > 0)
            {
                return ([], [$"{source}, line 1: unknown column(s) {string.Join(", ", unknown)}; known columns are {string.Join(", ", Required.Concat(Optional))}."]);
            }

            int Index(string name) => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
            var indexes = Required.Concat(Optional).ToDictionary(n => n, Index);
            var firstLineOfNumber = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var lastLineRead = csv.Parser.RawRow;

            while (csv.Read())
            {
                // A quoted field may span lines (Alt+Enter in Excel): report where the record starts.
                var line = lastLineRead + 1;
                lastLineRead = csv.Parser.RawRow;
                var fields = csv.Parser.Record ?? [];
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                if (fields.Length != header.Length)
                {
                    errors.Add($"{source}, line {line}: {fields.Length} fields, but the header has {header.Length}.");
                    continue;
                }

                string? Field(string name) => indexes[name] is var i and >= 0 ? fields[i] : null;
                var parsed = CustomerInput.Create(
                    Field("Kundennummer"), Field("Firma"), Field("Filiale"), Field("Ort"), Field("Bundesland"), Field("Ansprechpartner"),
                    Field("E-Mail"), Field("Telefon"), Field("RustDesk-ID"), Field("Sprache"), Field("Supportvertrag"), Field("Öffnungszeiten"));
                if (!parsed.IsSuccess)
                {
                    errors.Add($"{source}, line {line} ({UserText.Shown(Field("Kundennummer") ?? "", 40)}): {parsed.Error}");
                    continue;
                }

                if (firstLineOfNumber.TryGetValue(parsed.Value.Number, out var earlier))
                {
                    errors.Add($"{source}, line {line}: customer number {parsed.Value.Number} appears again (first on line {earlier}).");
                    continue;
                }

                firstLineOfNumber[parsed.Value.Number] = line;
                customers.Add(parsed.Value);
            }
        }
        catch (DecoderFallbackException)
        {
            return ([], [$"{source}: the file is not UTF-8. In Excel choose \"CSV UTF-8 (durch Trennzeichen getrennt)\" when saving."]);
        }
        catch (CsvHelperException e)
        {
            return ([], [$"{source}, line {e.Context?.Parser?.RawRow}: the CSV is malformed ({e.GetType().Name})."]);
        }

        return errors.Count > 0 ? ([], errors) : (customers, errors);
    }
}
