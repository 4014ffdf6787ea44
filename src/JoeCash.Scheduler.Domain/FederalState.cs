namespace JoeCash.Scheduler.Domain;

/// <summary>A German federal state (Bundesland), by its ISO 3166-2:DE code without the "DE-".</summary>
public enum FederalState
{
    BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH,
}

/// <summary>Parsing of federal-state codes as they appear in exports and on the command line.</summary>
public static class FederalStates
{
    public static Result<FederalState> Parse(string? text, string field)
    {
        var code = text?.Trim().ToUpperInvariant() ?? "";
        if (code.StartsWith("DE-", StringComparison.Ordinal))
        {
            code = code[3..];
        }

        return code.Length == 2 && Enum.TryParse<FederalState>(code, out var state) && Enum.IsDefined(state)
            ? state
            : Result.Fail<FederalState>(
                $"{field}: '{text}' is not a German federal state code (one of {string.Join(", ", Enum.GetNames<FederalState>())}).");
    }
}
