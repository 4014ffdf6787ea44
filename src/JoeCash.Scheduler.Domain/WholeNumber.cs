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

        return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? (int)value
            : Result.Fail<int>($"{field}: '{UserText.Shown(text, 40)}' must be a whole number from {min} to {max}.");
    }
}
