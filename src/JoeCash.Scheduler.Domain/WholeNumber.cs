using System.Globalization;

namespace JoeCash.Scheduler.Domain;

/// <summary>A typed count such as <c>--days</c>: a whole number within bounds, or a message that names the field and the bounds.</summary>
public static class WholeNumber
{
    /// <summary>The number, <paramref name="fallback"/> when nothing was typed, or why the text is not one within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Result<int> Parse(string? text, string field, int min, int max, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        var parsed = Parse(text, field, min, max);
        return parsed.IsSuccess ? (int)parsed.Value : Result.Fail<int>(parsed.Error!);
    }

    /// <summary>An ID typed by a person (an appointment, a message, a key): a whole number from 1, or why the text is not one.</summary>
    public static Result<long> Id(string? text, string field) => Parse(text ?? "", field, 1, long.MaxValue);

    private static Result<long> Parse(string text, string field, long min, long max) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            // An upper bound as large as the type's says nothing to a person.
            : Result.Fail<long>($"{field}: '{UserText.Shown(text, 40)}' must be a whole number from {min}{(max is int.MaxValue or long.MaxValue ? "" : $" to {max}")}.");
}
