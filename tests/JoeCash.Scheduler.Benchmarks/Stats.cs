using System.Diagnostics;
using System.Globalization;

namespace JoeCash.Scheduler.Benchmarks;

/// <summary>Medians and the timing rule shared by the mail harnesses.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The rule of <c>tests/ical-check/generate-bench.mjs</c>, so both sides are measured alike: warm up with
    /// min(N, 2000) calls (and at least a second, to reach optimized code), then all N calls in 10 batches;
    /// the median batch's microseconds per call.
    /// </summary>
    public static double MicrosPerCall(int count, Action<int> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < Math.Min(count, 2000) || warm.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            call(i);
        }

        const int Batches = 10;
        var perCall = new List<double>(Batches);
        for (var b = 0; b < Batches; b++)
        {
            var from = b * count / Batches;
            var to = (b + 1) * count / Batches;
            var started = Stopwatch.GetTimestamp();
            for (var i = from; i < to; i++)
            {
                call(i);
            }

            perCall.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / (to - from));
        }

        return Median(perCall);
    }

    public static string F0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F1(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    public static string F2(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
