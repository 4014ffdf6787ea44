namespace JoeCash.Scheduler.Domain;

/// <summary>The outcome of checking user input: a value, or a message that says what is wrong and where.</summary>
public readonly record struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    public string? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error}");

    internal static Result<T> Success(T value) => new(value, null);

    internal static Result<T> Failure(string error) => new(default, error);

#pragma warning disable CA1000, CA2225 // The conversion is the point: `return value;` reads better than Result.Ok(value).
    public static implicit operator Result<T>(T value) => Success(value);
#pragma warning restore CA1000, CA2225
}

/// <summary>Shorthand constructors for <see cref="Result{T}"/>.</summary>
public static class Result
{
    public static Result<T> Ok<T>(T value) => Result<T>.Success(value);

    public static Result<T> Fail<T>(string error) => Result<T>.Failure(error);
}
