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
# WeasyPrint (the board pack's PDF) needs Pango and HarfBuzz's subsetter; the slim image has
# no fonts, and Liberation Sans stands in for Arial.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml requirements.lock ./
# The locked versions, as CI tested them.
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/govuk ./static/govuk
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home app && mkdir -p /data/media && chown app /data/media
USER app
EXPOSE 8000
