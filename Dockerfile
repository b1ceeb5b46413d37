# Build the assets with Node, then run the app on a slim Python image.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src ./static/src
COPY scripts ./scripts
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml requirements.lock ./
# The locked versions, as CI tested them.
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/govuk ./static/govuk
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home app && mkdir -p /data/media && chown app /data/media
USER app
EXPOSE 8000
