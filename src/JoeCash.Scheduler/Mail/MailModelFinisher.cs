namespace JoeCash.Scheduler.Mail;

/// <summary>
/// A feature's last step on an email's model just before it is rendered: fills in what must not wait in the
/// outbox as it is shown (a personal link's token is made from a stored seed here). Models of other features
/// pass through unchanged.
/// </summary>
public interface IMailModelFinisher
{
    /// <summary>The model to render: <paramref name="model"/> itself, or a completed copy.</summary>
    object Finish(object model);
}
