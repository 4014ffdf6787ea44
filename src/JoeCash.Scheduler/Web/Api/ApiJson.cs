using System.Text.Json;
using System.Text.Json.Serialization;
using JoeCash.Scheduler.Agenda;
using JoeCash.Scheduler.Booking;

namespace JoeCash.Scheduler.Web.Api;

/// <summary>
/// Serialization code generated at compile time for what the API writes and reads on its busiest routes (a day, a
/// booking), instead of reflection at run time. The same names and values as <see cref="ApiEndpoints.Json"/>; any other
/// type falls back to reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AgendaRecord))]
[JsonSerializable(typeof(AppointmentRecord))]
[JsonSerializable(typeof(BookBody))]
internal sealed partial class ApiJson : JsonSerializerContext;
